// Renders the PNG icons from the SVGs with headless Chromium. Run once when the icon changes
// (`node scripts/make-icons.mjs`); the PNGs are committed, so builds need no browser.
import { readFile } from 'node:fs/promises'
import { chromium } from '@playwright/test'

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' })
const page = await browser.newPage()
const jobs = [
  ['icon.svg', 'icon-192.png', 192],
  ['icon.svg', 'icon-512.png', 512],
  ['maskable.svg', 'icon-maskable-512.png', 512],
  ['maskable.svg', 'apple-touch-icon.png', 180],
]
for (const [svg, png, size] of jobs) {
  const src = await readFile(new URL(`../public/icons/${svg}`, import.meta.url), 'utf8')
  await page.setViewportSize({ width: size, height: size })
  await page.setContent(
    `<style>html,body{margin:0;background:transparent}svg{width:${size}px;height:${size}px;display:block}</style>${src}`,
  )
  await page.screenshot({ path: `public/icons/${png}`, omitBackground: true })
}
await browser.close()
