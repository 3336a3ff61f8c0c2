"""Build the OpenAPI 3.0 description from the declared addresses (`endpoints.REGISTRY`).

Each `Operation` names its request and response schemas; this module holds the schemas and
turns the registry into paths, so a new operation appears in the description by being declared.
"""

from powerbase.api import endpoints
from powerbase.api import views as _views  # noqa: F401  (declares the addresses)

LINK = {"type": "object", "properties": {"href": {"type": "string"}}, "required": ["href"]}
LINKS = {"type": "object", "additionalProperties": True}
DATE = {"type": "string", "nullable": True}
IDENTIFIERS = {"type": "array", "items": {"type": "string", "pattern": "^[a-z_]+:.+$"}}
# Text a client sends: no control characters but tab and line breaks (the API refuses them).
PLAIN = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]*$"
IDENTIFIERS_IN = {
    "type": "array",
    "items": {"type": "string", "pattern": "^[a-z_]{1,40}:[^\\x00-\\x1f]{1,200}$"},
}


def _record(properties: dict, required: tuple[str, ...] = ()) -> dict:
    return {
        "type": "object",
        "properties": {
            "identifiers": IDENTIFIERS,
            "created_date": DATE,
            "modified_date": DATE,
            "_links": LINKS,
            **properties,
        },
        "required": ["identifiers", "_links", *required],
    }


_EMAIL_IN = {
    "type": "object",
    "properties": {
        "address": {
            "type": "string",
            "maxLength": 254,
            # Dots only between characters, and domain labels that neither start nor end with a
            # hyphen: what the email validator accepts, so schema-valid data is accepted.
            "pattern": (
                "^[a-z0-9_+-]{1,20}(\\.[a-z0-9_+-]{1,20}){0,2}"
                "@[a-z0-9]([a-z0-9-]{0,28}[a-z0-9])?(\\.[a-z]{2,10}){1,2}$"
            ),
        },
        "primary": {"type": "boolean"},
        "status": {"type": "string"},
    },
    "required": ["address"],
}
_PHONE_IN = {
    "type": "object",
    "properties": {
        # A US number that can be dialled: which area codes and exchanges exist is data (the
        # numbering plan), not a pattern; a number that cannot be dialled is refused with 400.
        "number": {
            "type": "string",
            "format": "us-phone",
            "pattern": "^\\+?1?[2-9][0-9]{2}[2-9][0-9]{6}$",
        },
        "primary": {"type": "boolean"},
        "status": {"type": "string", "enum": ["subscribed", "unsubscribed"]},
    },
    "required": ["number"],
}
_ADDRESS = {
    "type": "object",
    "properties": {
        "primary": {"type": "boolean"},
        "address_lines": {
            "type": "array",
            "items": {"type": "string", "maxLength": 100, "pattern": PLAIN},
        },
        "locality": {"type": "string", "maxLength": 100, "pattern": PLAIN},
        "region": {"type": "string", "maxLength": 2, "pattern": PLAIN},
        "postal_code": {"type": "string", "maxLength": 10, "pattern": PLAIN},
        "country": {"type": "string", "maxLength": 60, "pattern": PLAIN},
    },
}
_NAME = {"type": "string", "maxLength": 100, "pattern": PLAIN}

SCHEMAS: dict[str, dict] = {
    "Error": {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]},
    "Notice": {"type": "object", "properties": {"notice": {"type": "string"}}},
    "EntryPoint": {
        "type": "object",
        "properties": {
            "motd": {"type": "string"},
            "max_pagesize": {"type": "integer"},
            "_links": LINKS,
        },
        "required": ["_links"],
    },
    "Person": _record(
        {
            "given_name": {"type": "string"},
            "family_name": {"type": "string"},
            "languages_spoken": {"type": "array", "items": {"type": "string"}},
            "email_addresses": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"address": {"type": "string"}, "primary": {"type": "boolean"}},
                },
            },
            "phone_numbers": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "number": {"type": "string"},
                        "primary": {"type": "boolean"},
                        "number_type": {"type": "string"},
                        "status": {"type": "string"},
                    },
                },
            },
            "postal_addresses": {"type": "array", "items": _ADDRESS},
            "custom_fields": {"type": "object", "additionalProperties": {"type": "string"}},
        },
        ("email_addresses", "phone_numbers", "postal_addresses", "custom_fields"),
    ),
    "PersonSignup": {
        "type": "object",
        "properties": {
            "person": {
                "type": "object",
                "properties": {
                    "given_name": _NAME,
                    "family_name": _NAME,
                    "languages_spoken": {
                        "type": "array",
                        "items": {"type": "string", "maxLength": 40, "pattern": PLAIN},
                    },
                    "email_addresses": {"type": "array", "items": _EMAIL_IN, "minItems": 1},
                    "phone_numbers": {"type": "array", "items": _PHONE_IN, "minItems": 1},
                    "postal_addresses": {"type": "array", "items": _ADDRESS},
                    "custom_fields": {
                        "type": "object",
                        "additionalProperties": False,
                        "description": "Values of the organization's own fields, by key (the "
                        "custom "
                        "fields page lists them); another key is refused.",
                    },
                    "identifiers": IDENTIFIERS_IN,
                },
                "anyOf": [{"required": ["email_addresses"]}, {"required": ["phone_numbers"]}],
            },
            "add_tags": {
                "type": "array",
                "items": {"type": "string", "minLength": 1, "maxLength": 80, "pattern": PLAIN},
            },
            "remove_tags": {"type": "array", "items": {"type": "string", "pattern": PLAIN}},
        },
        "required": ["person"],
    },
    "Tag": _record({"name": {"type": "string"}}, ("name",)),
    "TagInput": {
        "type": "object",
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": 80, "pattern": "\\S"}
        },
        "required": ["name"],
    },
    "Tagging": _record({"item_type": {"type": "string"}}),
    "TaggingInput": {
        "type": "object",
        "properties": {
            "_links": {
                "type": "object",
                "properties": {"osdi:person": LINK},
                "required": ["osdi:person"],
            }
        },
        "required": ["_links"],
    },
    "List": _record(
        {
            "name": {"type": "string"},
            "title": {"type": "string"},
            "description": {"type": "string"},
        },
        ("name",),
    ),
    "Item": _record({"item_type": {"type": "string"}}),
    "Event": _record(
        {
            "title": {"type": "string"},
            "description": {"type": "string"},
            "start_date": DATE,
            "end_date": DATE,
            "status": {"type": "string"},
            "location": {"type": "object"},
        },
        ("title",),
    ),
    "Attendance": _record({"status": {"type": "string"}, "attended": {"type": "boolean"}}),
}

ERROR_TEXT = {
    400: "The request cannot be accepted; the error says which field and why.",
    401: "No key, or a key that does not work.",
    403: "The key's user may not do this (their role, as of now).",
    404: "Not found, or out of the key's reach.",
    405: "Method not allowed.",
    409: "The change conflicts with what is there (e.g. an email someone has).",
    429: "Too many requests from this key in a minute.",
}
PAGE_PARAMETERS: list[dict[str, object]] = [
    {
        "name": "page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": 1000000},
    },
    {
        "name": "per_page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": 1000000},
        "description": "At most 25 are returned, as on Action Network.",
    },
]
FILTER_PARAMETER: dict[str, object] = {
    "name": "filter",
    "in": "query",
    "schema": {
        "type": "string",
        "pattern": "^(modified_date|created_date) (gt|lt|ge|le|eq) "
        "'20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])'$",
    },
    "description": "OData, e.g. modified_date gt '2026-01-01'.",
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _collection(rel: str, item: str) -> dict:
    return {
        "type": "object",
        "properties": {
            "total_pages": {"type": "integer"},
            "per_page": {"type": "integer"},
            "page": {"type": "integer"},
            "total_records": {"type": "integer"},
            "_links": LINKS,
            "_embedded": {
                "type": "object",
                "properties": {rel: {"type": "array", "items": _ref(item)}},
                "required": [rel],
            },
        },
        "required": ["total_pages", "per_page", "page", "_links", "_embedded"],
    }


def _operation(endpoint, operation) -> dict:
    success = (
        _collection(endpoint.rel, operation.response)
        if operation.paged
        else _ref(operation.response)
    )
    responses = {
        str(operation.created): {
            "description": operation.summary,
            "content": {endpoints.HAL: {"schema": success}},
        }
    }
    for status in sorted({401, 405, 429, *operation.errors}):
        responses[str(status)] = {
            "description": ERROR_TEXT[status],
            "content": {endpoints.HAL: {"schema": _ref("Error")}},
        }
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in _path_names(endpoint.path)
    ]
    if operation.paged:
        parameters += PAGE_PARAMETERS
    if operation.filters:
        parameters.append(FILTER_PARAMETER)
    described = {
        "summary": operation.summary,
        "operationId": f"{operation.method}_{endpoint.path or 'entry'}".replace("/", "_")
        .replace("{", "")
        .replace("}", ""),
        "parameters": parameters,
        "responses": responses,
    }
    if operation.request:
        described["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _ref(operation.request)}},
        }
    return described


def _path_names(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]


def describe(request=None) -> dict:
    """Return the OpenAPI document of every declared address."""
    server = request.build_absolute_uri("/api/v2") if request is not None else "/api/v2"
    paths = {}
    for endpoint in endpoints.REGISTRY:
        key = f"/{endpoint.path}" if endpoint.path else "/"
        paths[key] = {
            method: _operation(endpoint, operation)
            for method, operation in endpoint.operations.items()
        }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "powerbase OSDI API",
            "version": "2",
            "description": "OSDI resources on Action Network's paths. The key in the "
            "OSDI-API-Token header decides the organization and acts as "
            "its user may. See docs/api.md. Donations are not offered yet.",
        },
        "servers": [{"url": server}],
        "security": [{"osdiToken": []}],
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "osdiToken": {"type": "apiKey", "in": "header", "name": endpoints.TOKEN_HEADER}
            },
        },
    }
