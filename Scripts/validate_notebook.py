#!/usr/bin/env python3
"""Validate Jupyter notebooks written by `keel report`.

Usage: validate_notebook.py NOTEBOOK.ipynb [...] [--schema nbformat.v4.schema.json]

Each notebook is checked twice: with the `nbformat` package's own validator (nbformat.validate,
the reference implementation) and against the given JSON schema file (the official nbformat 4
schema vendored in Tests/KeelReportTests/Fixtures) with `jsonschema`. Prints one line per
notebook; exits 0 when all are valid, 1 when any is invalid, 3 when nbformat is not installed.
"""
import json
import sys

try:
    import nbformat
    import jsonschema
except ImportError as e:  # the caller must see this, never a silent pass
    print(f"validate_notebook: the nbformat package is required ({e}); "
          "run `make test` (it creates .build/venv) or `pip install nbformat`", file=sys.stderr)
    sys.exit(3)


def main(argv):
    schema_path = None
    paths = []
    i = 0
    while i < len(argv):
        if argv[i] == "--schema":
            schema_path = argv[i + 1]
            i += 2
        else:
            paths.append(argv[i])
            i += 1
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    schema = None
    if schema_path:
        with open(schema_path, encoding="utf-8") as f:
            schema = json.load(f)
    ok = True
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                raw = json.load(f)
            nb = nbformat.reads(json.dumps(raw), as_version=nbformat.NO_CONVERT)
            nbformat.validate(nb, version=4)
            if nb.nbformat != 4 or nb.nbformat_minor != 5:
                raise ValueError(f"expected nbformat 4.5, found {nb.nbformat}.{nb.nbformat_minor}")
            if schema is not None:
                cls = jsonschema.validators.validator_for(schema)
                cls(schema).validate(raw)
            print(f"valid: {path} (nbformat {nbformat.__version__}, {len(nb.cells)} cells)")
        except Exception as e:  # report every failure with its reason
            ok = False
            print(f"INVALID: {path}: {type(e).__name__}: {str(e)[:2000]}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
