import type { Role } from '../../../protocol/auth'

/** Everyone's demo password; printed at start-up and used by the tests. */
export const DEMO_PASSWORD = 'fieldline'

export interface DemoUser {
  email: string
  name: string
  role: Role
  password: string
}

/** The demo sign-ins the seed creates: three technicians and one dispatcher. */
export const DEMO_USERS: readonly DemoUser[] = [
  {
    email: 'alex@fieldline.test',
    name: 'Alex Rivera',
    role: 'technician',
    password: DEMO_PASSWORD,
  },
  { email: 'sam@fieldline.test', name: 'Sam Okafor', role: 'technician', password: DEMO_PASSWORD },
  {
    email: 'jordan@fieldline.test',
    name: 'Jordan Lee',
    role: 'technician',
    password: DEMO_PASSWORD,
  },
  {
    email: 'dana@fieldline.test',
    name: 'Dana Brooks',
    role: 'dispatcher',
    password: DEMO_PASSWORD,
  },
]
