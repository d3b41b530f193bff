"""Messages to people: e-mail templates and the senders that deliver them."""
