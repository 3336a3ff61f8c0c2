"""Imports: turn an uploaded CSV or XLSX list into clean person records, and write exports.

The modules here hold no Django code, so they can be tested, benchmarked and reused alone:

    reading      open a CSV or XLSX file into a header and a stream of numbered rows
    tables       the Table and Row readers produce, and the header and row rules they share
    csv_files    CSV: encodings, delimiters, strict quoting
    workbooks    XLSX: the zip checked, formulas found, cells read with calamine
    mapping      propose and check which column feeds which powerbase field
    normalizing  turn one cell into a clean value (names, phones, emails, dates, ZIP codes, ...)
    addresses    postal addresses: the original text and its USPS standard form
    vocabularies the word lists normalisers read (states, race and ethnicity, languages, ...)
    validating   apply a mapping and the normalisers to every row; collect the report
    exporting    write rows to CSV or XLSX, escaped against spreadsheet formula injection
    formulas     spot formulas in uploaded cells, escape them in exported ones
    errors       the errors the modules above raise on purpose

A whole file that cannot be read raises `FileRefused`; a mapping that cannot be used raises
`MappingRefused`; a bad row never raises: it becomes a `RowProblem` in the report.
"""
