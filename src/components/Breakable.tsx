/**
 * Text that may break after an underscore or before a dot inside a word, where a file name
 * ("IMG_1254_2.png") breaks well, instead of wherever the line ends ("IMG_1254_2.p" / "ng"): a
 * title in a 390 px sheet at 200 % text is about 14 characters wide. A <wbr> only offers the
 * break; text that fits is unchanged, and the accessible name and copied text stay the same.
 */
export function Breakable({ text }: { text: string }) {
  const parts = text.split(/(?<=_)|(?=\.\w)/)
  return <>{parts.flatMap((part, i) => (i === 0 ? [part] : [<wbr key={i} />, part]))}</>
}
