"""Names for the demo's people and customer companies (one a line, split on load)."""

from huddle.demo.corpus import lines

COMPANY_WORDS = lines(
    """
    Acorn Alder Alpine Amber Anchor Apex Arbor Arcadia Ash Aspen Atlas Aurora Basalt Bay
    Beacon Birch Bluebird Boulder Bramble Brightwater Brook Canyon Cardinal Cascade Cedar
    Chestnut Cinder Clearwater Clover Cobalt Compass Copper Coral Crescent Crestline Cypress
    Delta Driftwood Eastgate Elm Ember Evergreen Fairview Falcon Fern Fieldstone Firefly
    Foxglove Garnet Glacier Granite Greenleaf Harbor Hawthorn Heather Hemlock Heron Highland
    Holloway Horizon Indigo Ironwood Ivy Jasper Juniper Kestrel Keystone Lakeshore Larkspur
    Laurel Lighthouse Linden Lumen Maple Marigold Meadow Meridian Millbrook Monarch Moss
    Northwind Oakridge Obsidian Onyx Orchard Osprey Pacific Palisade Pebble Pinecrest Pinnacle
    Polaris Prairie Quarry Quartz Raven Redwood Ridgeway Riverbend Rosewood Saffron Sage
    Sandstone Sequoia Shoreline Sierra Silverline Sparrow Spruce Stonebridge Summit Sycamore
    Tamarack Thistle Tidewater Timber Topaz Trillium Tundra Upland Valley Vantage Vertex
    Westbrook Willow Wren Yarrow Zenith
    """.replace(" ", "\n")
)
COMPANY_KINDS = lines(
    """
    Logistics
    Health
    Foods
    Robotics
    Media
    Labs
    Retail
    Energy
    Capital
    Systems
    Analytics
    Hospitality
    Freight
    Dental
    Studios
    Builders
    Pharma
    Apparel
    Outdoor
    Biotech
    Education
    Manufacturing
    Brewing
    Clinics
    Software
    Architects
    Insurance
    Security
    Marine
    Farms
    """
)
ENTERPRISE_SUFFIXES = ("Group", "Holdings", "International", "Corp", "Industries", "Global")
SMALL_SUFFIXES = ("& Co", "Collective", "Works", "Partners", "Supply", "House")

FIRST = lines(
    """
    Ana Ben Chloe Dev Elena Femi Grace Hugo Ines Jonas Kira Liam Maya Noah Olga Priya Quinn
    Rosa Sam Tariq Uma Victor Wen Yusuf Zoe Aisha Bruno Carmen Diego Erik Fatima Gabriel
    Hannah Isaac Julia Kenji Leila Marcus Nadia Oscar Paula Rahul Sofia Thomas Valeria Will
    Xavier Yara Amir Bianca Connor Daria Emeka Freya George Helena Ivan Jade Karim Lucia
    Mateo Nina Omar Pia Ruth Simon Tessa Ugo Vera Wyatt
    """.replace(" ", "\n")
)
LAST = lines(
    """
    Alvarez Brooks Chen Dubois Eriksen Fischer Gupta Hughes Ito Jensen Kowalski Lopez Mensah
    Novak Okafor Patel Rossi Silva Tanaka Weber Adeyemi Bauer Castillo Duarte Edwards Ferreira
    Garcia Haddad Ibrahim Johansson Kim Lindqvist Moreau Nakamura O'Brien Petrov Quinn Ramos
    Schmidt Thompson Ueda Vargas Walsh Xu Yilmaz Zimmermann Abbott Becker Costa Dalton Evans
    Fontaine Goldberg Hart Iqbal Jovanovic Khan Larsen Murphy Nguyen Ortiz Park Reyes Sato
    """.replace(" ", "\n")
)
TITLES = lines(
    """
    Controller
    VP Finance
    AP Manager
    CFO
    Finance Ops Lead
    IT Director
    Procurement Lead
    Head of People
    Senior Accountant
    Office Manager
    AP Specialist
    FP&A Manager
    Head of Finance
    Payroll Manager
    Travel Manager
    Director of Operations
    Systems Administrator
    Bookkeeper
    """
)
