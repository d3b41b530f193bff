"""Reports and moderation of what customers publish (reviews, product questions, their answers):
the rules are written once here, and each context names what it moderates with a `Subject`."""
