"""Licence mutation inputs."""
import strawberry

LICENCE_ID = "Global ID of one of your licences (`Licence.id`, from `library` or `librarySync`)."
DEVICE_ID = "Global ID of one of your registered devices (`Device.id`, from `registerDevice`)."


@strawberry.input(description="A licence to use on a device.")
class ActivateLicenceInput:
    licence_id: strawberry.ID = strawberry.field(description=LICENCE_ID)
    device_id: strawberry.ID = strawberry.field(description=DEVICE_ID)


@strawberry.input(description="A licence to take off a device.")
class DeactivateLicenceInput:
    licence_id: strawberry.ID = strawberry.field(description=LICENCE_ID)
    device_id: strawberry.ID = strawberry.field(description=DEVICE_ID)
