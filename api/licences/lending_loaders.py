"""E-book loan loaders: by id (`node`) and by licence (`Licence.loan`); the domain leaves out the
loans the caller may not see."""
from api.core.dataloaders import keyed_for_viewer
from domain.licences import service as licences

FACTORIES = {
    "ebook_loan_by_id": keyed_for_viewer(licences.loans_by_ids),
    "ebook_loan_by_licence_id": keyed_for_viewer(licences.loans_by_licence_ids),
}
