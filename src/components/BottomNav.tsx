import { cameFrom, route } from '../data/router'
import { Icon, type IconName } from './Icon'
import './BottomNav.css'

const TABS: Array<{ href: string; label: string; icon: IconName; match: string[] }> = [
  { href: '#/', label: 'Today', icon: 'today', match: ['day'] },
  { href: '#/jobs', label: 'Jobs', icon: 'jobs', match: ['jobs'] },
  { href: '#/settings', label: 'Settings', icon: 'gear', match: ['settings', 'actions'] },
]

/** The bottom bar, thumb-reachable; Settings (the gear) at the bottom right, as users know it. */
export function BottomNav() {
  const name = route.value.name
  // A job and its documents belong to the list they were opened from.
  const current = name === 'job' || name === 'doc' ? cameFrom.value.tab : name
  return (
    <nav class="bottom-nav" aria-label="Main">
      {TABS.map((tab) => (
        <a
          key={tab.href}
          href={tab.href}
          class={tab.match.includes(current) ? 'active' : ''}
          aria-current={tab.match.includes(current) ? 'page' : undefined}
        >
          <Icon name={tab.icon} />
          <span>{tab.label}</span>
        </a>
      ))}
    </nav>
  )
}
