"""Word lists the synthetic lists draw from: common given names and surnames, street names.

Any person made from them is fictional: names, birth dates and addresses are combined at
random. Lists are roughly in order of how common the names are, which the generator uses to
make early names more frequent.
"""

FEMALE_FIRST_NAMES = [
    "mary", "patricia", "jennifer", "linda", "elizabeth", "barbara", "susan", "jessica", "sarah",
    "karen", "lisa", "nancy", "betty", "margaret", "sandra", "ashley", "kimberly", "emily",
    "donna", "michelle", "carol", "amanda", "dorothy", "melissa", "deborah", "stephanie",
    "rebecca", "sharon", "laura", "cynthia", "kathleen", "amy", "angela", "shirley", "anna",
    "brenda", "pamela", "emma", "nicole", "helen", "samantha", "katherine", "christine", "debra",
    "rachel", "carolyn", "janet", "catherine", "maria", "heather", "diane", "ruth", "julie",
    "olivia", "joyce", "virginia", "victoria", "kelly", "lauren", "christina", "joan", "evelyn",
    "judith", "megan", "andrea", "cheryl", "hannah", "jacqueline", "martha", "gloria", "teresa",
    "ann", "sara", "madison", "frances", "kathryn", "janice", "jean", "abigail", "alice", "judy",
    "sophia", "grace", "denise", "amber", "doris", "marilyn", "danielle", "beverly", "isabella",
    "theresa", "diana", "natalie", "brittany", "charlotte", "marie", "kayla", "alexis", "lori",
    "guadalupe", "rosa", "carmen", "ana", "josefina", "yolanda", "lucia", "veronica", "adriana",
    "alejandra", "claudia", "gabriela", "leticia", "marisol", "esperanza", "beatriz", "graciela",
    "mariana", "daniela", "valeria", "ximena", "fatima", "aisha", "amina", "mariam", "layla",
    "noor", "yasmin", "zainab", "latoya", "tamika", "keisha", "ebony", "shanice", "jasmine",
    "aaliyah", "imani", "destiny", "tiana", "monique", "precious", "shaniqua", "lakisha",
    "tanisha", "ayesha", "mei", "lan", "linh", "thuy", "hoa", "ngoc", "huong", "mai", "priya",
    "ananya", "deepa", "lakshmi", "sunita", "kavita", "anjali", "neha", "yuki", "keiko", "akiko",
    "haruka", "sakura", "minji", "jiyoung", "eunji", "soyeon", "hyejin", "olga", "svetlana",
    "natalia", "irina", "tatiana", "ekaterina", "agnieszka", "katarzyna", "malgorzata", "ewa",
    "bridget", "siobhan", "colleen", "maureen", "deirdre", "fiona", "niamh", "giulia", "francesca",
    "chiara", "giovanna", "rosaria", "concetta", "eleni", "katerina", "sofia", "ingrid", "astrid",
    "sigrid", "freya", "greta", "heidi", "hilda", "wilma", "edna", "ethel", "mildred", "gladys",
    "florence", "irene", "lillian", "esther", "pauline", "loretta", "norma", "bonnie", "peggy",
    "wanda", "rita", "phyllis", "joanne", "kristen", "tracy", "erin", "tiffany", "crystal",
    "april", "vanessa", "erica", "stacy", "wendy", "leah", "hazel", "ivy", "ruby", "stella",
    "violet", "willow", "aurora", "luna", "penelope", "nora", "eleanor", "hazel", "clara", "iris",
    "maya", "zoe", "chloe", "lily", "ella", "avery",
]

MALE_FIRST_NAMES = [
    "james", "robert", "john", "michael", "david", "william", "richard", "joseph", "thomas",
    "charles", "christopher", "daniel", "matthew", "anthony", "mark", "donald", "steven", "paul",
    "andrew", "joshua", "kenneth", "kevin", "brian", "george", "timothy", "ronald", "edward",
    "jason", "jeffrey", "ryan", "jacob", "gary", "nicholas", "eric", "jonathan", "stephen",
    "larry", "justin", "scott", "brandon", "benjamin", "samuel", "gregory", "alexander", "frank",
    "patrick", "raymond", "jack", "dennis", "jerry", "tyler", "aaron", "jose", "adam", "nathan",
    "henry", "douglas", "zachary", "peter", "kyle", "ethan", "walter", "noah", "jeremy",
    "christian", "keith", "roger", "terry", "gerald", "harold", "sean", "austin", "carl", "arthur",
    "lawrence", "dylan", "jesse", "jordan", "bryan", "billy", "joe", "bruce", "gabriel", "logan",
    "albert", "willie", "alan", "juan", "wayne", "elijah", "randy", "roy", "vincent", "ralph",
    "eugene", "russell", "bobby", "mason", "philip", "louis", "luis", "carlos", "jorge", "miguel",
    "pedro", "manuel", "ramon", "francisco", "javier", "alejandro", "ricardo", "fernando",
    "eduardo", "sergio", "roberto", "rafael", "hector", "arturo", "enrique", "alfredo",
    "guillermo", "marco", "julio", "cesar", "diego", "santiago", "mateo", "emiliano", "muhammad",
    "mohammed", "ahmed", "omar", "ali", "hassan", "ibrahim", "yusuf", "khalid", "tariq", "malik",
    "jamal", "darnell", "tyrone", "deshawn", "terrell", "andre", "marcus", "reginald", "cedric",
    "demetrius", "jermaine", "lamar", "darius", "minh", "tuan", "duc", "hung", "quang", "thanh",
    "nam", "wei", "jun", "hao", "jian", "ming", "raj", "arjun", "vikram", "sanjay", "rahul",
    "amit", "hiroshi", "takeshi", "kenji", "minho", "jisung", "hyun", "dmitri", "sergei",
    "vladimir", "ivan", "alexei", "piotr", "tomasz", "krzysztof", "pawel", "seamus", "liam",
    "declan", "eoin", "cormac", "giuseppe", "salvatore", "giovanni", "antonio", "luca",
    "dimitrios", "nikolaos", "konstantinos", "lars", "erik", "sven", "nils", "olaf", "hans",
    "klaus", "fritz", "otto", "herbert", "elmer", "clarence", "leroy", "earl", "floyd", "lloyd",
    "vernon", "wendell", "chester", "homer", "virgil", "rufus", "cecil", "hubert", "marvin",
    "leonard", "stanley", "howard", "norman", "melvin", "glenn", "dale", "curtis", "troy", "shane",
    "derek", "travis", "cody", "dustin", "corey", "wesley", "casey", "colin", "spencer", "garrett",
    "grant", "miles", "owen", "caleb", "isaac", "levi", "ezra", "silas", "jasper", "felix", "hugo",
    "oscar", "leo", "theo", "milo", "finn",
]

SURNAMES = [
    "smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez",
    "martinez", "hernandez", "lopez", "gonzalez", "wilson", "anderson", "thomas", "taylor",
    "moore", "jackson", "martin", "lee", "perez", "thompson", "white", "harris", "sanchez",
    "clark", "ramirez", "lewis", "robinson", "walker", "young", "allen", "king", "wright", "scott",
    "torres", "nguyen", "hill", "flores", "green", "adams", "nelson", "baker", "hall", "rivera",
    "campbell", "mitchell", "carter", "roberts", "gomez", "phillips", "evans", "turner", "diaz",
    "parker", "cruz", "edwards", "collins", "reyes", "stewart", "morris", "morales", "murphy",
    "cook", "rogers", "gutierrez", "ortiz", "morgan", "cooper", "peterson", "bailey", "reed",
    "kelly", "howard", "ramos", "kim", "cox", "ward", "richardson", "watson", "brooks", "chavez",
    "wood", "james", "bennett", "gray", "mendoza", "ruiz", "hughes", "price", "alvarez",
    "castillo", "sanders", "patel", "myers", "long", "ross", "foster", "jimenez", "powell",
    "jenkins", "perry", "russell", "sullivan", "bell", "coleman", "butler", "henderson", "barnes",
    "gonzales", "fisher", "vasquez", "simmons", "romero", "jordan", "patterson", "alexander",
    "hamilton", "graham", "reynolds", "griffin", "wallace", "moreno", "west", "cole", "hayes",
    "bryant", "herrera", "gibson", "ellis", "tran", "medina", "aguilar", "stevens", "murray",
    "ford", "castro", "marshall", "owens", "harrison", "fernandez", "mcdonald", "woods",
    "washington", "kennedy", "wells", "vargas", "henry", "chen", "freeman", "webb", "tucker",
    "guzman", "burns", "crawford", "olson", "simpson", "porter", "hunter", "gordon", "mendez",
    "silva", "shaw", "snyder", "mason", "dixon", "munoz", "hunt", "hicks", "holmes", "palmer",
    "wagner", "black", "robertson", "boyd", "rose", "stone", "salazar", "fox", "warren", "mills",
    "meyer", "rice", "schmidt", "garza", "daniels", "ferguson", "nichols", "stephens", "soto",
    "weaver", "ryan", "gardner", "payne", "grant", "dunn", "kelley", "spencer", "hawkins",
    "arnold", "pierce", "vazquez", "hansen", "peters", "santos", "hart", "bradley", "knight",
    "elliott", "cunningham", "duncan", "armstrong", "hudson", "carroll", "lane", "riley",
    "andrews", "alvarado", "ray", "delgado", "berry", "perkins", "hoffman", "johnston", "matthews",
    "pena", "richards", "contreras", "willis", "carpenter", "lawrence", "sandoval", "guerrero",
    "george", "chapman", "rios", "estrada", "ortega", "watkins", "greene", "nunez", "wheeler",
    "valdez", "harper", "burke", "larson", "santiago", "maldonado", "morrison", "franklin",
    "carlson", "austin", "dominguez", "carr", "lawson", "jacobs", "obrien", "lynch", "singh",
    "vega", "bishop", "montgomery", "oliver", "jensen", "harvey", "williamson", "gilbert", "dean",
    "sims", "espinoza", "howell", "li", "wong", "reid", "hanson", "le", "mccoy", "garrett",
    "burton", "fuller", "wang", "weber", "welch", "rojas", "lucero", "pham", "tran", "huynh", "vo",
    "dang", "bui", "do", "ho", "ngo", "duong", "ly", "kowalski", "nowak", "wisniewski", "wojcik",
    "kaminski", "lewandowski", "zielinski", "szymanski", "mazur", "krawczyk", "okafor", "adeyemi",
    "nwosu", "mensah", "asante", "owusu", "boateng", "abdullah", "rahman", "hussain", "khan",
    "ahmed", "qureshi", "siddiqui", "chaudhry", "malik", "sheikh", "yamamoto", "tanaka", "suzuki",
    "watanabe", "nakamura", "kobayashi", "park", "choi", "jung", "kang", "cho", "yoon", "jang",
    "lim", "han", "oconnor", "murphy", "kelleher", "donnelly", "fitzgerald", "gallagher",
    "mcguire", "brennan", "rossi", "russo", "ferrari", "esposito", "bianchi", "romano", "colombo",
    "ricci", "marino", "greco", "bruno", "gallo", "conti", "deluca", "costa", "giordano",
    "mancini", "papadopoulos", "georgiou", "nikolaidis", "ivanov", "petrov", "smirnov",
    "kuznetsov", "popov", "volkov", "sokolov",
]

# Fictional surnames for the long tail: a prefix and a suffix, e.g. "Brennick", "Tolworth".
SURNAME_PREFIXES = [
    "ash", "bar", "bel", "bram", "brenn", "cal", "carr", "dal", "dun", "el", "fair", "fen", "gar",
    "glen", "hal", "har", "holt", "kel", "kin", "lan", "lind", "mar", "mer", "mor", "nor", "oak",
    "pen", "quin", "rad", "red", "ros", "sal", "shel", "stan", "tal", "thorn", "tol", "var", "wal",
    "wen", "wex", "wyn", "yor", "ab", "ald", "bex", "cor", "dov", "eld", "fal", "gil", "hav",
    "ist", "jor", "kell", "lor", "mab", "nev", "ost", "pell", "rath",
]
SURNAME_SUFFIXES = [
    "by", "bury", "dale", "den", "don", "field", "ford", "gate", "ham", "hart", "hill", "ick",
    "ing", "ley", "low", "man", "mere", "mont", "more", "ridge", "rick", "son", "stead", "ston",
    "ton", "vale", "wick", "wood", "worth", "well", "win", "ell", "ett", "ard", "erly", "iss",
    "ova",
]

STREET_NAMES = [
    "main", "oak", "maple", "cedar", "pine", "elm", "washington", "lake", "hill", "park", "walnut",
    "church", "chestnut", "spring", "center", "river", "ridge", "highland", "sunset", "franklin",
    "jefferson", "lincoln", "madison", "jackson", "adams", "meadow", "forest", "orchard", "willow",
    "birch", "spruce", "poplar", "hickory", "laurel", "magnolia", "dogwood", "juniper", "union",
    "liberty", "market", "bridge", "mill", "school", "water", "prospect", "pleasant", "summit",
    "grove", "valley", "academy", "harbor", "bay", "shore", "beacon", "front", "broad", "high",
    "north", "south", "east", "west", "college", "state", "elmwood", "fairview", "lakeview",
    "riverside", "woodland", "greenwood", "edgewood", "kingston", "hamilton", "franklin", "grant",
    "sherman", "ellis", "howard", "whitney", "chapel", "quarry", "orange", "grand", "garden",
    "cherry", "pearl", "ivy", "holly", "cottage", "hawthorne", "sycamore", "cypress", "linden",
    "aspen", "alder", "rowan", "heather", "fern", "clover", "bluebird", "robin", "cardinal",
    "sparrow", "heron", "osprey", "falcon", "eagle", "salem", "dover", "windsor", "bristol",
    "chester", "milford", "stratford", "fairfield", "newport", "ashford", "hartford", "putnam",
]
STREET_TYPES = ("st", "ave", "rd", "dr", "ln", "ct", "pl", "blvd", "ter", "way")
STREET_TYPE_WORDS = {"st": "Street", "ave": "Avenue", "rd": "Road", "dr": "Drive",
                     "ln": "Lane", "ct": "Court", "pl": "Place", "blvd": "Boulevard",
                     "ter": "Terrace", "way": "Way"}

# How some names are written with accents on one list and without on another.
ACCENTED = {"jose": "José", "maria": "María", "ramon": "Ramón", "hector": "Héctor",
            "ruben": "Rubén", "lucia": "Lucía", "veronica": "Verónica", "raul": "Raúl",
            "munoz": "Muñoz", "pena": "Peña", "nunez": "Núñez", "ines": "Inés",
            "sofia": "Sofía", "julio": "Julio", "martinez": "Martínez", "lopez": "López",
            "perez": "Pérez", "garcia": "García", "hernandez": "Hernández",
            "gonzalez": "González", "rodriguez": "Rodríguez", "ramirez": "Ramírez"}

EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example", "post.example")
AREA_CODES = ("203", "860", "475", "959", "401", "413")
