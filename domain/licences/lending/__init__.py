"""E-book lending: a bought e-book lent once, for a fixed time, to another customer by e-mail
(`loans`), the loans' reads (`reads`) and the sweep that ends loans whose time is over
(`sweep`)."""
