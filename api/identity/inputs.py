"""Identity mutation inputs."""
import strawberry

from api.identity.enums import ClientKind


@strawberry.input(description="A new customer account.")
class RegisterCustomerInput:
    email: str = strawberry.field(description="E-mail address to sign in with (at most 254 characters).")
    password: str = strawberry.field(description="10-128 characters; not a common password, not containing the e-mail name.")
    display_name: str = strawberry.field(description="Name to show the customer, 1-100 characters.")


@strawberry.input(description="Credentials and the client signing in.")
class SignInInput:
    email: str = strawberry.field(description="The account's e-mail address.")
    password: str = strawberry.field(description="The account's password.")
    client_kind: ClientKind = strawberry.field(description="What kind of client is signing in.")
    device_name: str = strawberry.field(default="", description="A name for this client in the session list (at most 60 characters), e.g. \"Firefox on Linux\" or \"Anna's Kindle\".")


@strawberry.input(description="A refresh token to trade for a new token pair.")
class RefreshSessionInput:
    refresh_token: str = strawberry.field(description="The refresh token from the last sign-in or refresh (single use).")


@strawberry.input(description="One of your sessions to end.")
class RevokeSessionInput:
    session_id: strawberry.ID = strawberry.field(description="`Session.id` from `viewer.customer.sessions`.")


@strawberry.input(description="The current password and the new one.")
class ChangePasswordInput:
    current_password: str = strawberry.field(description="The password in use now.")
    new_password: str = strawberry.field(description="10-128 characters; same rules as at registration.")


@strawberry.input(description="The address to send a password reset link to.")
class RequestPasswordResetInput:
    email: str = strawberry.field(description="The account's e-mail address.")


@strawberry.input(description="A reset token from the e-mail and the new password.")
class ResetPasswordInput:
    token: str = strawberry.field(description="The token from the reset e-mail (single use, expires after 30 minutes).")
    new_password: str = strawberry.field(description="10-128 characters; same rules as at registration.")


@strawberry.input(description="A device to register to your account.")
class RegisterDeviceInput:
    kind: ClientKind = strawberry.field(description="What the device is.")
    name: str = strawberry.field(description="Name for the device list, 1-60 characters.")
    serial_number: str | None = strawberry.field(default=None, description="The device's serial number (1-100 characters); registering the same serial again returns the same device.")


@strawberry.input(description="A new name for one of your devices.")
class RenameDeviceInput:
    device_id: strawberry.ID = strawberry.field(description="Global ID of the device.")
    name: str = strawberry.field(description="New name, 1-60 characters.")


@strawberry.input(description="One of your devices to remove.")
class DeregisterDeviceInput:
    device_id: strawberry.ID = strawberry.field(description="Global ID of the device.")
