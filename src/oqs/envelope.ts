/**
 * The `XmlMsg` envelope as a tree, and its two encodings (research §1.2–1.3): JSON as the Web API
 * sends it, and element-only XML as the 連携アプリケーション files carry it, in UTF-8 or Shift_JIS
 * (CharacterCodeIdentifier 0/1, OQSCD005). Pure: bytes in, bytes out.
 *
 * The tree is the JSON form. A value is a string, an element (object) or an array. An array under a
 * name ending in `List` is a list container, as the Web API's JSON has it (`ResultList: [{
 * ResultOfQualificationConfirmation: … }]`): in XML it becomes `<ResultList>` holding the items'
 * elements. Any other array is a repeated element (`QualificationConfirmSearchInfo` in a bulk request).
 */

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import iconv from 'iconv-lite';

export type OqsValue = string | OqsNode | OqsNode[];
export interface OqsNode {
  [name: string]: OqsValue | undefined;
}

export type OqsFormat = 'json' | 'xml';
export type OqsCharset = 'utf8' | 'sjis';

// --- writing ------------------------------------------------------------------------------------------

function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}

function writeNode(node: OqsNode, out: string[]): void {
  for (const [name, value] of Object.entries(node)) {
    if (value === undefined) continue;
    if (typeof value === 'string') out.push(`<${name}>${escapeXml(value)}</${name}>`);
    else if (Array.isArray(value)) {
      if (name.endsWith('List')) {
        out.push(`<${name}>`);
        for (const item of value) writeNode(item, out);
        out.push(`</${name}>`);
      } else {
        for (const item of value) {
          out.push(`<${name}>`);
          writeNode(item, out);
          out.push(`</${name}>`);
        }
      }
    } else {
      out.push(`<${name}>`);
      writeNode(value, out);
      out.push(`</${name}>`);
    }
  }
}

/** Element-only XML with its declaration, as text. */
export function toXmlText(message: OqsNode, charset: OqsCharset = 'utf8'): string {
  const out: string[] = [`<?xml version="1.0" encoding="${charset === 'sjis' ? 'Shift_JIS' : 'UTF-8'}"?>\n`];
  writeNode(message, out);
  return out.join('');
}

/** Shift_JIS is Windows-31J (cp932) in practice: the superset Japanese Windows writes and reads. */
const SJIS = 'cp932';

/** The answer's bytes and Content-Type. JSON is always UTF-8. */
export function encodeMessage(
  message: OqsNode,
  format: OqsFormat,
  charset: OqsCharset = 'utf8',
): { bytes: Buffer; contentType: string } {
  if (format === 'json') {
    return { bytes: Buffer.from(JSON.stringify(message), 'utf8'), contentType: 'application/json; charset=utf-8' };
  }
  const text = toXmlText(message, charset);
  return charset === 'sjis'
    ? { bytes: iconv.encode(text, SJIS), contentType: 'application/xml; charset=Shift_JIS' }
    : { bytes: Buffer.from(text, 'utf8'), contentType: 'application/xml; charset=utf-8' };
}

// --- reading -----------------------------------------------------------------------------------------

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/** The text of XML bytes: the declared encoding, else UTF-8, else (not valid UTF-8) Shift_JIS. */
export function decodeXmlBytes(bytes: Buffer): { text: string; charset: OqsCharset } {
  const head = bytes.subarray(0, 200).toString('latin1');
  const declared = /encoding\s*=\s*["']([^"']+)["']/i.exec(head)?.[1]?.toLowerCase();
  if (declared && /^(shift[_-]?jis|sjis|windows-31j|cp932|ms932|x-sjis)$/.test(declared)) {
    return { text: iconv.decode(bytes, SJIS), charset: 'sjis' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, ''), charset: 'utf8' };
  } catch {
    return { text: iconv.decode(bytes, SJIS), charset: 'sjis' };
  }
}

/** The tree of an XML message, or null when it is not well-formed (or declares a DTD). */
export function parseXmlMessage(text: string): OqsNode | null {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return null;
  if (XMLValidator.validate(text) !== true) return null;
  const tree = parser.parse(text) as unknown;
  return normalise(tree) as OqsNode | null;
}

/** Parsed XML or JSON into the tree's types: strings for leaves ('' for an empty element). */
function normalise(v: unknown): OqsValue | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) {
    const items = v
      .map(normalise)
      .filter((x): x is OqsNode => x !== null && typeof x === 'object' && !Array.isArray(x));
    return items;
  }
  if (typeof v === 'object') {
    const node: OqsNode = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const n = normalise(x);
      if (n !== null) node[k] = n;
    }
    return node;
  }
  return null;
}

/** A JSON body (already parsed, or bytes) into the tree; null when it is not a JSON object. */
export function parseJsonMessage(body: unknown): OqsNode | null {
  let value = body;
  if (Buffer.isBuffer(body) || typeof body === 'string') {
    try {
      value = JSON.parse(body.toString());
    } catch {
      return null;
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return normalise(value) as OqsNode;
}

/** A child element (not a string or an array), if present. */
export function child(node: OqsNode | undefined, name: string): OqsNode | undefined {
  const v = node?.[name];
  return v !== undefined && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

/** The elements under `name`, whether one or repeated. */
export function children(node: OqsNode | undefined, name: string): OqsNode[] {
  const v = node?.[name];
  if (v === undefined || typeof v === 'string') return [];
  return Array.isArray(v) ? v : [v];
}

/** A leaf's text; undefined when absent or empty; null when it is not a leaf (an element). */
export function text(node: OqsNode | undefined, name: string): string | undefined | null {
  const v = node?.[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') return null;
  return v === '' ? undefined : v;
}
