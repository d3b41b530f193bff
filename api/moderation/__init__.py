"""What reporting and moderating reviews, questions and answers share on the wire: the error type
and its codes, the reasons, the actions and the report statuses."""
