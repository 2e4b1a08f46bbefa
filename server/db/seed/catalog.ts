/** Word lists the seed draws from: plausible customers, streets and trade work. */

export const FIRST_NAMES = [
  'Maria',
  'James',
  'Linda',
  'Robert',
  'Patricia',
  'Michael',
  'Jennifer',
  'David',
  'Elizabeth',
  'William',
  'Susan',
  'Richard',
  'Jessica',
  'Thomas',
  'Karen',
  'Daniel',
  'Nancy',
  'Matthew',
  'Lisa',
  'Anthony',
  'Priya',
  'Wei',
  'Fatima',
  'Diego',
  'Aisha',
  'Hiroshi',
  'Olga',
  'Kwame',
] as const

export const LAST_NAMES = [
  'Garcia',
  'Johnson',
  'Nguyen',
  'Patel',
  'Schmidt',
  'Kowalski',
  'Hernandez',
  'Murphy',
  'Chen',
  "O'Brien",
  'Rossi',
  'Andersen',
  'Müller',
  'Haddad',
  'Tanaka',
  'Mensah',
  'Ivanova',
  'Silva',
  'Walker',
  'Campbell',
  'Dubois',
  'Fischer',
  'Baker',
  'Morales',
] as const

/** Some customers are businesses, so the list has a few company names too. */
export const COMPANIES = [
  'Maple Street Bakery',
  'Riverside Dental Clinic',
  'Harbor View Apartments',
  'Greenleaf Café',
  'Summit Fitness',
  'Oak Hollow Elementary',
] as const

export const STREETS = [
  'Maple Avenue',
  'Oak Street',
  'Cedar Lane',
  'Pine Road',
  'Elm Drive',
  'Birch Court',
  'Willow Way',
  'Lakeview Terrace',
  'Hillcrest Boulevard',
  'Sunset Drive',
  'River Road',
  'Chestnut Street',
  'Meadow Lane',
  'Park Place',
  'Highland Avenue',
  'Orchard Street',
] as const

export const CITIES = ['Springfield', 'Riverton', 'Fairview', 'Lakeside', 'Brookfield'] as const

export interface WorkItem {
  title: string
  descriptions: readonly string[]
}

export const WORK: readonly WorkItem[] = [
  {
    title: 'Leaking kitchen faucet',
    descriptions: [
      'Customer reports a steady drip from the kitchen faucet. Replace cartridge or the whole faucet if corroded.',
      'Faucet leaks at the base when running. Check O-rings and supply lines under the sink.',
    ],
  },
  {
    title: 'Water heater not heating',
    descriptions: [
      'No hot water since yesterday. 50-gallon gas unit in the garage, about 12 years old.',
      'Water only lukewarm. Check thermostat and lower element on the electric heater.',
    ],
  },
  {
    title: 'Clogged main drain',
    descriptions: [
      'Basement floor drain backing up when the washer runs. Bring the drum auger.',
      'Several fixtures draining slowly. Camera inspection requested if snaking does not clear it.',
    ],
  },
  {
    title: 'Running toilet repair',
    descriptions: ['Upstairs toilet runs constantly. Replace flapper and fill valve.'],
  },
  {
    title: 'Sump pump replacement',
    descriptions: [
      'Sump pump cycles nonstop and makes a grinding noise. Customer wants a replacement with battery backup.',
    ],
  },
  {
    title: 'Panel upgrade estimate',
    descriptions: [
      'Old 100 A panel with fuses. Customer is adding an EV charger and wants a quote for 200 A service.',
    ],
  },
  {
    title: 'Breaker keeps tripping',
    descriptions: [
      'Kitchen breaker trips when the microwave and kettle run together. Check load and wiring.',
      'Garage circuit trips at random. Possible ground fault in the outdoor outlet.',
    ],
  },
  {
    title: 'Install GFCI outlets',
    descriptions: ['Replace four bathroom and kitchen outlets with GFCI receptacles to meet code.'],
  },
  {
    title: 'Ceiling fan installation',
    descriptions: [
      'Install customer-supplied ceiling fan in the living room. Existing light box may need a brace.',
    ],
  },
  {
    title: 'Flickering lights',
    descriptions: [
      'Lights flicker throughout the house on windy days. Inspect service drop and main connections.',
    ],
  },
  {
    title: 'AC not cooling',
    descriptions: [
      'Central AC runs but blows warm air. Check refrigerant charge and the outdoor condenser.',
      'Upstairs stays hot. Unit is 15 years old; customer asks about replacement options.',
    ],
  },
  {
    title: 'Furnace annual maintenance',
    descriptions: [
      'Yearly tune-up: clean burners, replace filter, test the carbon monoxide levels.',
      'Maintenance plan visit. Customer mentions a rattle at start-up.',
    ],
  },
  {
    title: 'Thermostat replacement',
    descriptions: [
      'Replace old mercury thermostat with a programmable model. Check C-wire availability.',
    ],
  },
  {
    title: 'Heat pump making noise',
    descriptions: [
      'Loud buzzing from the outdoor heat pump unit at night. Possible failing contactor or fan motor.',
    ],
  },
  {
    title: 'Duct cleaning and inspection',
    descriptions: [
      'Dust around vents and allergy concerns. Clean supply and return ducts, inspect for leaks.',
    ],
  },
]

export const NOTE_BODIES = [
  'Replaced the part and tested for 15 minutes; no leaks.',
  'Customer was not home at first; neighbour let me into the side yard.',
  'Needs a follow-up visit: the replacement part is on order.',
  'Explained the maintenance plan to the customer, who will call the office.',
  'Shut-off valve is seized; recommended replacing it on the next visit.',
  'Took photos of the panel labels for the estimate.',
  'Work complete, area cleaned up, customer signed off.',
  'Found corrosion on the supply line and replaced it as well.',
] as const
