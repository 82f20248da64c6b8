import { z } from 'zod';
import { Timestamp } from './primitives.js';

/**
 * MCP elicitation (form mode): a tool server asks the user for a few values mid-call. The form is a flat object
 * of primitive fields (MCP's restricted JSON Schema); these types describe it for core, the CLI and the renderer,
 * and the helpers below are shared so every surface prefills, checks and summarizes answers the same way.
 */

export const ElicitationValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);
export type ElicitationValue = z.infer<typeof ElicitationValue>;

export const ElicitationContent = z.record(z.string(), ElicitationValue);
export type ElicitationContent = z.infer<typeof ElicitationContent>;

export const ElicitationAction = z.enum(['accept', 'decline', 'cancel']);
export type ElicitationAction = z.infer<typeof ElicitationAction>;

// Limits a form any real server stays far within; a hostile one cannot flood the screen, the store or the validator.
const Label = z.string().max(500);
const Choices = z.array(z.string().max(500)).max(200);
const Option = z.object({ const: z.string().max(500), title: Label });

/** One field: string (with format), number/integer, boolean, single select (enum, oneOf) or multi-select (array). */
export const ElicitationField = z.object({
  type: z.enum(['string', 'number', 'integer', 'boolean', 'array']),
  title: Label.optional(),
  description: z.string().max(5_000).optional(),
  format: z.enum(['email', 'uri', 'date', 'date-time']).optional(),
  minLength: z.number().optional(),
  maxLength: z.number().optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  enum: Choices.optional(),
  /** Older servers name enum values this way; `oneOf` with titles replaced it. */
  enumNames: Choices.optional(),
  oneOf: z.array(Option).max(200).optional(),
  items: z.object({ type: z.literal('string').optional(), enum: Choices.optional(), anyOf: z.array(Option).max(200).optional() }).optional(),
  minItems: z.number().optional(),
  maxItems: z.number().optional(),
  default: ElicitationValue.optional(),
});
export type ElicitationField = z.infer<typeof ElicitationField>;

export const ElicitationSchema = z.object({
  type: z.literal('object'),
  properties: z.record(z.string().max(200), ElicitationField).refine((p) => Object.keys(p).length <= 50, 'at most 50 fields'),
  required: z.array(z.string().max(200)).max(50).optional(),
});
export type ElicitationSchema = z.infer<typeof ElicitationSchema>;

/** How a question ended: the user answered, nobody answered in time, the run was stopped, or the server withdrew it. */
export const ElicitationEnd = z.enum(['user', 'timeout', 'stopped', 'withdrawn']);
export type ElicitationEnd = z.infer<typeof ElicitationEnd>;

/** A question and its answer, kept with the tool call it interrupted (in the call's evaluation, `elicitations`). */
export const ElicitationRecord = z.object({
  id: z.string(),
  server: z.string(),
  serverLabel: z.string(),
  message: z.string(),
  requestedSchema: ElicitationSchema,
  action: ElicitationAction,
  /** What was sent to the server (defaults filled in); null unless accepted. */
  content: ElicitationContent.nullable(),
  endedBy: ElicitationEnd,
  askedAt: Timestamp,
  answeredAt: Timestamp,
});
export type ElicitationRecord = z.infer<typeof ElicitationRecord>;

export interface ElicitationOption {
  value: string;
  label: string;
}

/** The choices of a single or multi-select field, with their display names; null for a free field. */
export function fieldOptions(field: ElicitationField): ElicitationOption[] | null {
  const titled = field.type === 'array' ? field.items?.anyOf : field.oneOf;
  if (titled) return titled.map((o) => ({ value: o.const, label: o.title }));
  const values = field.type === 'array' ? field.items?.enum : field.enum;
  if (!values) return null;
  return values.map((value, i) => ({ value, label: (field.type === 'array' ? undefined : field.enumNames?.[i]) ?? value }));
}

export function fieldLabel(name: string, field: ElicitationField): string {
  return field.title?.trim() || name;
}

export function isRequired(schema: ElicitationSchema, name: string): boolean {
  return schema.required?.includes(name) ?? false;
}

/**
 * The answer as sent: fields left empty take the schema's default (MCP SEP-1034: a server may rely on it), and
 * empty ones without a default are left out rather than sent as "".
 */
export function withDefaults(schema: ElicitationSchema, content: ElicitationContent): ElicitationContent {
  const out: ElicitationContent = {};
  for (const [name, field] of Object.entries(schema.properties)) {
    const value = content[name];
    if (value !== undefined && value !== '') out[name] = value;
    else if (field.default !== undefined) out[name] = field.default;
  }
  // Fields the schema does not name are kept, so validation can refuse them rather than drop them silently.
  for (const [name, value] of Object.entries(content)) if (!(name in schema.properties) && value !== '') out[name] = value;
  return out;
}

const FORMAT_LABEL: Record<NonNullable<ElicitationField['format']>, string> = {
  email: 'an email address',
  uri: 'an address with its scheme (https://…)',
  date: 'a date (YYYY-MM-DD)',
  'date-time': 'a date and time (YYYY-MM-DDTHH:MM:SSZ)',
};

/** The string formats MCP allows, checked the same way in the form, the CLI and core (ajv uses these too). */
export const FORMAT_CHECKS: Record<NonNullable<ElicitationField['format']>, (value: string) => boolean> = {
  email: (value) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value),
  uri: (value) => {
    try {
      return /^[a-z][a-z0-9+.-]*:/i.test(value) && Boolean(new URL(value));
    } catch {
      return false;
    }
  },
  date: (value) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)),
  'date-time': (value) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(value) && !Number.isNaN(Date.parse(value)),
};

/** What is wrong with one field's value, in words a user can act on; null when it fits. */
export function fieldProblem(schema: ElicitationSchema, name: string, value: ElicitationValue | undefined): string | null {
  const field = schema.properties[name];
  if (!field) return 'is not a field of this form';
  if (value === undefined || value === '') return isRequired(schema, name) ? 'is required' : null;
  const options = fieldOptions(field);
  switch (field.type) {
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be yes or no';
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
      if (field.type === 'integer' && !Number.isInteger(value)) return 'must be a whole number';
      if (field.minimum !== undefined && value < field.minimum) return `must be at least ${field.minimum}`;
      if (field.maximum !== undefined && value > field.maximum) return `must be at most ${field.maximum}`;
      return null;
    }
    case 'array': {
      if (!Array.isArray(value)) return 'must be a list of choices';
      if (options && value.some((v) => !options.some((o) => o.value === v))) return 'has a choice that is not offered';
      if (field.minItems !== undefined && value.length < field.minItems) return `needs at least ${field.minItems} choice${field.minItems === 1 ? '' : 's'}`;
      if (field.maxItems !== undefined && value.length > field.maxItems) return `takes at most ${field.maxItems} choices`;
      return null;
    }
    case 'string': {
      if (typeof value !== 'string') return 'must be text';
      if (options) return options.some((o) => o.value === value) ? null : `must be one of ${options.map((o) => o.label).join(', ')}`;
      if (field.minLength !== undefined && value.length < field.minLength) return `needs at least ${field.minLength} characters`;
      if (field.maxLength !== undefined && value.length > field.maxLength) return `takes at most ${field.maxLength} characters`;
      if (field.format && !FORMAT_CHECKS[field.format](value)) return `must be ${FORMAT_LABEL[field.format]}`;
      return null;
    }
  }
}

/** Every field's problem (fields that fit are absent), for inline errors and for core's refusal message. */
export function contentProblems(schema: ElicitationSchema, content: ElicitationContent): Record<string, string> {
  const problems: Record<string, string> = {};
  const names = new Set([...Object.keys(schema.properties), ...Object.keys(content)]);
  for (const name of names) {
    const problem = fieldProblem(schema, name, content[name]);
    if (problem) problems[name] = problem;
  }
  return problems;
}

/** One line of what was sent ("Name: Ada · Agree: yes"), with option titles rather than raw values. */
export function summarizeContent(schema: ElicitationSchema, content: ElicitationContent): string {
  const parts = Object.entries(content).map(([name, value]) => {
    const field = schema.properties[name];
    const options = field ? fieldOptions(field) : null;
    const show = (v: string) => options?.find((o) => o.value === v)?.label ?? v;
    const text =
      typeof value === 'boolean'
        ? value
          ? 'yes'
          : 'no'
        : Array.isArray(value)
          ? value.map(show).join(', ')
          : typeof value === 'string'
            ? show(value)
            : String(value);
    return `${field ? fieldLabel(name, field) : name}: ${text}`;
  });
  return parts.join(' · ') || 'nothing';
}
