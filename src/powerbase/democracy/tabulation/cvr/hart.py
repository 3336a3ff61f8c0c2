"""Hart exports: a folder of XML files, one per ballot.

In the config's contest, each option is a candidate (labelled by its id, which the config maps
through aliases) and its Value is a string of 0/1 flags, one per rank from the left:
"010000" ranks the option second.
"""

import xml.etree.ElementTree as ET
from collections.abc import Iterator

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import parse

from powerbase.democracy.tabulation.cvr.cells import reading
from powerbase.democracy.tabulation.cvr.source import CvrSource, RawBallot
from powerbase.democracy.tabulation.errors import CvrError


def read(source: CvrSource) -> Iterator[RawBallot]:
    folder = source.path
    if not folder.is_dir():
        raise CvrError(
            file=str(folder), problem="A Hart source must be a folder of XML files, one per ballot."
        )
    for path in sorted(folder.iterdir()):
        name = path.name.lower()
        if not name.endswith("xml") or name.endswith(".sig.xml") or not path.is_file():
            continue  # RCTab reads every *xml file but the signatures
        found = _ranks(source, path)
        if found is not None:
            guid, ranks = found
            yield RawBallot(guid or path.stem, ranks)


def _ranks(source: CvrSource, path):
    with reading(path, "a Hart XML ballot"):
        try:
            root = parse(path).getroot()
        except ET.ParseError as error:
            raise CvrError(
                file=str(path), problem=f"This is not well-formed XML ({error})."
            ) from None
        except LookupError as error:  # encoding="U-F-8": a name no codec has
            raise CvrError(
                file=str(path), problem=f"The XML names an encoding that does not exist ({error})."
            ) from None
        except DefusedXmlException as error:
            raise CvrError(
                file=str(path),
                problem=(
                    f"The XML declares entities or a DTD, which a CVR never needs "
                    f"({type(error).__name__})."
                ),
            ) from None
    for contest in _children(root, "Contests"):
        for entry in _children(contest, "Contest"):
            if _text(entry, "Id") != source.contest_id:
                continue
            marks = []
            for options in _children(entry, "Options"):
                for option in _children(options, "Option"):
                    marks += _option_marks(path, option)
            return _text(root, "CvrGuid"), tuple(sorted(marks))
    return None


def _option_marks(path, option) -> list[tuple[int, str]]:
    label, flags = _text(option, "Id"), _text(option, "Value")
    if not label:
        raise CvrError(
            file=str(path), problem=f"An option of the contest has no Id (its value is '{flags}')."
        )
    return [(rank, label) for rank, flag in enumerate(flags, start=1) if flag == "1"]


def _children(element, tag: str):
    return [child for child in element if child.tag.rsplit("}", 1)[-1] == tag]


def _text(element, tag: str) -> str:
    found = _children(element, tag)
    return (found[0].text or "").strip() if found else ""
