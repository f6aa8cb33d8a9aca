"""The file formats `samhandling import` reads, by the name given on the command line."""

from . import art49_csv, dk_operations_csv, fi_operations_csv, tillvaxtverket_json
from .mapping import builtin

FORMATS = {
    "tillvaxtverket-json": tillvaxtverket_json,
    "dk-operations-csv": dk_operations_csv,
    "fi-operations-csv": fi_operations_csv,
    "art49-csv": art49_csv,
    # 2021–2027 lists as users download them, read through built-in mappings (builtin/*.toml)
    "kohesio-csv": builtin("kohesio"),
    "esf-csv": builtin("esf"),
    "keep-xlsx": builtin("keep"),
}
