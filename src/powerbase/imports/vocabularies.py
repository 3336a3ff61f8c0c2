"""The word lists the normalisers read: states, race and ethnicity, languages, roles, statuses.

Every lookup key is written the way `vocabulary_key` turns a person's text into a key: lower
case, accents removed, anything that is not a letter or digit dropped ("Puerto Rican" ->
"puertorican"). Add a spelling by adding its key.
"""

import re
import unicodedata

_NOT_ASCII_ALNUM = re.compile(r"[^a-z0-9]+")


def vocabulary_key(text: str) -> str:
    """Return *text* as a lookup key: case, accents, spaces and punctuation ignored."""
    if text.isascii():
        return _NOT_ASCII_ALNUM.sub("", text.lower())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if char.isalnum())


# USPS codes for the states, DC, the territories and military mail.
STATES = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "PR": "Puerto Rico",
    "GU": "Guam",
    "VI": "U.S. Virgin Islands",
    "AS": "American Samoa",
    "MP": "Northern Mariana Islands",
    "AA": "Armed Forces Americas",
    "AE": "Armed Forces Europe",
    "AP": "Armed Forces Pacific",
}
STATE_KEYS = (
    {vocabulary_key(code): code for code in STATES}
    | {vocabulary_key(name): code for code, name in STATES.items()}
    | {
        "washingtondc": "DC",
        "virginislands": "VI",
        "usvirginislands": "VI",
        "conn": "CT",
        "mass": "MA",
        "calif": "CA",
        "penn": "PA",
        "wash": "WA",
    }
)


# The 2024 revision of OMB Statistical Policy Directive No. 15: one combined question with
# seven minimum categories, several of which a person may choose.
RACE_ETHNICITY_CATEGORIES = {
    "american_indian_or_alaska_native": "American Indian or Alaska Native",
    "asian": "Asian",
    "black_or_african_american": "Black or African American",
    "hispanic_or_latino": "Hispanic or Latino",
    "middle_eastern_or_north_african": "Middle Eastern or North African",
    "native_hawaiian_or_pacific_islander": "Native Hawaiian or Pacific Islander",
    "white": "White",
}

# Words for a whole category: nothing more needs keeping than the category.
_GENERAL_RACE_WORDS = {
    "american_indian_or_alaska_native": [
        "American Indian or Alaska Native",
        "American Indian and Alaska Native",
        "American Indian",
        "Alaska Native",
        "Alaskan Native",
        "Native American",
        "AIAN",
        "Indigenous",
        "American Indian/Alaska Native",
    ],
    "asian": ["Asian", "Asian American", "Asian-American"],
    "black_or_african_american": [
        "Black or African American",
        "Black",
        "African American",
        "Black/African American",
        "Black American",
    ],
    "hispanic_or_latino": [
        "Hispanic or Latino",
        "Hispanic",
        "Latino",
        "Latina",
        "Latinx",
        "Latine",
        "Latino/a",
        "Latina/o",
        "Hispanic/Latino",
        "Hispanic/Latinx",
        "Hispanic or Latinx",
    ],
    "middle_eastern_or_north_african": [
        "Middle Eastern or North African",
        "Middle Eastern",
        "North African",
        "MENA",
        "SWANA",
        "Middle Eastern/North African",
    ],
    "native_hawaiian_or_pacific_islander": [
        "Native Hawaiian or Pacific Islander",
        "Native Hawaiian or Other Pacific Islander",
        "Native Hawaiian",
        "Pacific Islander",
        "NHPI",
        "Native Hawaiian/Pacific Islander",
    ],
    "white": ["White", "Caucasian"],
}

# Detailed groups (the directive's examples and common answers): they map to a category, and
# the person's own words are kept as well.
_DETAILED_RACE_WORDS = {
    "american_indian_or_alaska_native": [
        "Navajo",
        "Navajo Nation",
        "Blackfeet",
        "Blackfeet Tribe",
        "Cherokee",
        "Lakota",
        "Ojibwe",
        "Apache",
        "Inupiat",
        "Yupik",
        "Aztec",
        "Maya",
        "Mayan",
        "Mashantucket Pequot",
        "Mohegan",
        "Narragansett",
        "Wampanoag",
    ],
    "asian": [
        "Chinese",
        "Asian Indian",
        "Filipino",
        "Filipina",
        "Vietnamese",
        "Korean",
        "Japanese",
        "Pakistani",
        "Bangladeshi",
        "Hmong",
        "Cambodian",
        "Laotian",
        "Thai",
        "Taiwanese",
        "Nepali",
        "Burmese",
        "Sri Lankan",
        "South Asian",
        "East Asian",
        "Southeast Asian",
    ],
    "black_or_african_american": [
        "Jamaican",
        "Haitian",
        "Nigerian",
        "Ethiopian",
        "Somali",
        "Ghanaian",
        "Eritrean",
        "Afro-Caribbean",
        "African",
        "Cape Verdean",
        "Trinidadian",
    ],
    "hispanic_or_latino": [
        "Mexican",
        "Mexican American",
        "Chicano",
        "Chicana",
        "Chicanx",
        "Puerto Rican",
        "Salvadoran",
        "Cuban",
        "Dominican",
        "Guatemalan",
        "Colombian",
        "Honduran",
        "Ecuadorian",
        "Peruvian",
        "Venezuelan",
        "Nicaraguan",
        "Boricua",
    ],
    "middle_eastern_or_north_african": [
        "Arab",
        "Arab American",
        "Lebanese",
        "Iranian",
        "Persian",
        "Egyptian",
        "Syrian",
        "Iraqi",
        "Israeli",
        "Palestinian",
        "Moroccan",
        "Yemeni",
        "Algerian",
        "Tunisian",
        "Libyan",
        "Jordanian",
        "Armenian",
        "Assyrian",
        "Chaldean",
        "Kurdish",
    ],
    "native_hawaiian_or_pacific_islander": [
        "Hawaiian",
        "Samoan",
        "Chamorro",
        "Tongan",
        "Fijian",
        "Marshallese",
        "Chuukese",
        "Palauan",
    ],
    "white": [
        "European",
        "European American",
        "English",
        "German",
        "Irish",
        "Italian",
        "Polish",
        "Scottish",
        "French",
        "Portuguese",
        "Greek",
        "Ukrainian",
        "Russian",
    ],
}

RACE_GENERAL_KEYS = {
    vocabulary_key(word): category
    for category, words in _GENERAL_RACE_WORDS.items()
    for word in words
}
RACE_DETAILED_KEYS = {
    vocabulary_key(word): category
    for category, words in _DETAILED_RACE_WORDS.items()
    for word in words
}
RACE_DECLINED_KEYS = {
    vocabulary_key(word)
    for word in [
        "Prefer not to say",
        "Prefer not to answer",
        "Decline to state",
        "Declined",
        "Decline",
        "Declined to answer",
        "Rather not say",
        "Choose not to disclose",
    ]
}
RACE_UNKNOWN_KEYS = {
    vocabulary_key(word)
    for word in ["Unknown", "N/A", "NA", "None", "Not reported", "Not provided", "Blank", "-"]
}


# ISO 639 codes (639-1 where there is one) for the languages US organizations meet most.
LANGUAGES = {
    "en": ["English", "Inglés", "Ingles"],
    "es": ["Spanish", "Español", "Espanol", "Castellano"],
    "zh": ["Chinese", "Mandarin", "Mandarin Chinese", "Putonghua", "中文", "普通话"],
    "yue": ["Cantonese", "廣東話", "粵語"],
    "tl": ["Tagalog", "Filipino"],
    "vi": ["Vietnamese", "Tiếng Việt"],
    "ar": ["Arabic", "العربية"],
    "fr": ["French", "Français"],
    "ko": ["Korean", "한국어"],
    "ru": ["Russian", "Русский"],
    "ht": ["Haitian Creole", "Kreyòl", "Kreyol", "Creole", "Haitian"],
    "pt": ["Portuguese", "Português", "Brazilian Portuguese"],
    "de": ["German", "Deutsch"],
    "hi": ["Hindi"],
    "ur": ["Urdu"],
    "bn": ["Bengali", "Bangla"],
    "pa": ["Punjabi", "Panjabi"],
    "gu": ["Gujarati"],
    "te": ["Telugu"],
    "ta": ["Tamil"],
    "ne": ["Nepali"],
    "pl": ["Polish", "Polski"],
    "it": ["Italian", "Italiano"],
    "ja": ["Japanese", "日本語"],
    "fa": ["Persian", "Farsi"],
    "prs": ["Dari"],
    "ps": ["Pashto"],
    "so": ["Somali"],
    "am": ["Amharic"],
    "ti": ["Tigrinya"],
    "sw": ["Swahili", "Kiswahili"],
    "yo": ["Yoruba"],
    "ig": ["Igbo"],
    "hmn": ["Hmong"],
    "km": ["Khmer", "Cambodian"],
    "lo": ["Lao", "Laotian"],
    "my": ["Burmese"],
    "kar": ["Karen"],
    "th": ["Thai"],
    "uk": ["Ukrainian"],
    "el": ["Greek"],
    "he": ["Hebrew"],
    "yi": ["Yiddish"],
    "hy": ["Armenian"],
    "sq": ["Albanian"],
    "tr": ["Turkish"],
    "kea": ["Cape Verdean Creole", "Kriolu", "Kabuverdianu"],
    "nv": ["Navajo", "Diné"],
    "ase": ["American Sign Language", "ASL"],
    "quc": ["K'iche'", "Kiche", "Quiché"],
    "mam": ["Mam"],
}
LANGUAGE_KEYS = {
    vocabulary_key(name): code for code, names in LANGUAGES.items() for name in names
} | {code: code for code in LANGUAGES}


# Affiliate membership roles and statuses, with the words lists use for them.
AFFILIATE_ROLES = {
    "member": [
        "Member",
        "Rank and file",
        "General member",
        "Tenant",
        "Congregant",
        "Parishioner",
        "Worker",
        "Associate member",
    ],
    "leader": [
        "Leader",
        "Member leader",
        "Steward",
        "Shop steward",
        "Chief steward",
        "Captain",
        "Building captain",
        "Floor captain",
        "Officer",
        "Board member",
        "Delegate",
        "Committee chair",
        "Chair",
    ],
    "staff": ["Staff", "Organizer", "Staff organizer", "Employee", "Director"],
}
AFFILIATE_ROLE_KEYS = {
    vocabulary_key(word): role for role, words in AFFILIATE_ROLES.items() for word in words
}

AFFILIATE_STATUSES = {
    "active": [
        "Active",
        "Current",
        "In good standing",
        "Good standing",
        "Paid",
        "Paid up",
        "Member",
        "Yes",
    ],
    "lapsed": [
        "Lapsed",
        "Inactive",
        "In arrears",
        "Arrears",
        "Behind",
        "Expired",
        "Suspended",
        "Not current",
    ],
    "former": [
        "Former",
        "Left",
        "Resigned",
        "Terminated",
        "Ex-member",
        "Past",
        "Moved away",
        "Withdrawn",
    ],
}
AFFILIATE_STATUS_KEYS = {
    vocabulary_key(word): status for status, words in AFFILIATE_STATUSES.items() for word in words
}

CONSENT_KEYS = {
    vocabulary_key(word): True
    for word in [
        "Yes",
        "Y",
        "True",
        "1",
        "Opted in",
        "Opt in",
        "Opt-in",
        "Subscribed",
        "OK",
        "X",
        "Consented",
        "Agree",
        "Sí",
        "Si",
    ]
} | {
    vocabulary_key(word): False
    for word in [
        "No",
        "N",
        "False",
        "0",
        "Opted out",
        "Opt out",
        "Opt-out",
        "Unsubscribed",
        "Stop",
        "Declined",
        "Do not text",
        "DNT",
    ]
}
