"""Identity mutation inputs."""
import strawberry

from api.core import ids
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
    session_id: strawberry.ID = strawberry.field(
        description="`Session.id` (a global ID) from `viewer.customer.sessions`. The bare UUID that `Session.id` used to"
                    " be is still taken, until the next release.", metadata={ids.TAKES_UUID: True})


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


@strawberry.input(description="A new address for your address book. Which of region and postal code a country requires, and their formats, follow its post (e.g. US: state code and ZIP 12345 or 12345-6789; CA: province code and A1A 1A1; GB: postcode; JP: prefecture and 123-4567). Text is trimmed; postal codes are stored upper-case in their canonical form.")
class CreateAddressInput:
    full_name: str = strawberry.field(description="Recipient's name, 1-100 characters.")
    line1: str = strawberry.field(description="Street and number, 1-200 characters.")
    line2: str = strawberry.field(default="", description="Apartment, suite, building; at most 200 characters.")
    city: str = strawberry.field(description="City or town, 1-100 characters.")
    region: str = strawberry.field(default="", description="State, province, prefecture or county, at most 100 characters; required in US, CA, JP, AU, IN and BR (US, CA, AU, BR: its code, e.g. NY).")
    postal_code: str = strawberry.field(default="", description="Postal code in the country's format; required except in IE.")
    country_code: str = strawberry.field(description="ISO 3166-1 alpha-2 code of a country we ship to, e.g. US (COUNTRY_NOT_SUPPORTED otherwise).")
    phone: str = strawberry.field(default="", description="Phone number for the carrier: at most 30 characters, at least 5 digits, spaces, dashes, parentheses and a leading +.")
    is_default: bool = strawberry.field(default=False, description="Make it the default address. The first address of a book is the default anyway.")


@strawberry.input(description="Changes to one of your addresses: give only the fields to change (null or absent keeps the current value, an empty string clears an optional one). The address is checked as a whole afterwards.")
class UpdateAddressInput:
    address_id: strawberry.ID = strawberry.field(description="Global ID of the address.")
    full_name: str | None = strawberry.field(default=None, description="Recipient's name, 1-100 characters.")
    line1: str | None = strawberry.field(default=None, description="Street and number, 1-200 characters.")
    line2: str | None = strawberry.field(default=None, description="Apartment, suite, building; at most 200 characters.")
    city: str | None = strawberry.field(default=None, description="City or town, 1-100 characters.")
    region: str | None = strawberry.field(default=None, description="State, province, prefecture or county (as in `createAddress`).")
    postal_code: str | None = strawberry.field(default=None, description="Postal code in the country's format.")
    country_code: str | None = strawberry.field(default=None, description="ISO 3166-1 alpha-2 code of a country we ship to.")
    phone: str | None = strawberry.field(default=None, description="Phone number for the carrier (as in `createAddress`).")


@strawberry.input(description="One of your addresses to delete.")
class DeleteAddressInput:
    address_id: strawberry.ID = strawberry.field(description="Global ID of the address.")


@strawberry.input(description="One of your addresses to make the default.")
class SetDefaultAddressInput:
    address_id: strawberry.ID = strawberry.field(description="Global ID of the address.")
