import type { FormAnswer, FormField } from '../../protocol/entities'

/**
 * The one rule for a job form's answers, whoever writes them: the technician's jobForm.answer
 * (server/mutations/jobFormAnswer.ts) and the office's PATCH /api/dispatch/forms/:id
 * (server/dispatch/forms.ts). The schema (protocol/mutations.ts Answers) only knows an answer is
 * text, a number, yes/no or blank; which it must be depends on the form's own fields, stored with
 * the form, so it is checked here. Returns the first problem as a sentence, or null.
 */
export function formAnswersProblem(
  form: { name: string; fields: FormField[] },
  answers: Record<string, FormAnswer>,
): string | null {
  const fields = new Map(form.fields.map((f) => [f.id, f]))
  for (const [key, answer] of Object.entries(answers)) {
    const field = fields.get(key)
    if (!field) return `The ${form.name} form has no field ${key}.`
    const problem = answerProblem(field, answer)
    if (problem) return `"${field.label}" ${problem}.`
  }
  return null
}

function answerProblem(field: FormField, answer: FormAnswer): string | null {
  if (answer === null) return null
  switch (field.type) {
    case 'text':
      return typeof answer === 'string' ? null : 'needs text'
    case 'number':
      return typeof answer === 'number' && Number.isFinite(answer) ? null : 'needs a number'
    case 'yesno':
      return typeof answer === 'boolean' ? null : 'needs yes or no'
    case 'choice':
      return typeof answer === 'string' && (field.options ?? []).includes(answer)
        ? null
        : `must be one of ${(field.options ?? []).join(', ')}`
  }
}
