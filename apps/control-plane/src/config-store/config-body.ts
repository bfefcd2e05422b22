import { Injectable, type PipeTransform } from '@nestjs/common';
import { configDocument, configDocumentErrors, type ParsedConfigDocument } from '@switchboard/protocol';
import { json, text, type RequestHandler } from 'express';
import { parseDocument } from 'yaml';
import type { FieldError } from '@switchboard/protocol';
import { Problem } from '../common/problem';

/** Media types read as a YAML configuration document (the first is the one answered). */
export const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'];

/** Largest configuration document accepted by PUT /api/v1/config, JSON or YAML (the rest of the API keeps Express's 100 KiB). */
const CONFIG_BODY_LIMIT = '1mb';

/** Aliases a YAML document may expand (the `yaml` package's default): more is refused as a billion-laughs attack. */
const MAX_YAML_ALIASES = 100;

/**
 * The body parser of /api/v1/config, mounted before Nest's own: JSON, and YAML kept as text for
 * ConfigBodyPipe, each up to 1 MiB (413 beyond). Its name is its own on purpose: Nest leaves out
 * its global JSON parser when a middleware named `jsonParser` (Express's) is already mounted.
 */
export function configBodyParser(): RequestHandler {
  const parseJson = json({ limit: CONFIG_BODY_LIMIT });
  const parseYaml = text({ type: YAML_TYPES, limit: CONFIG_BODY_LIMIT });
  return function configBodyParser(req, res, next) {
    void parseJson(req, res, (error?: unknown) => (error ? next(error) : parseYaml(req, res, next)));
  };
}

/**
 * Reads PUT /api/v1/config's body: a YAML text (application/yaml) is parsed first, JSON arrives
 * parsed; then the document is checked whole.
 * @throws Problem `validation` (400): a YAML syntax error naming its line and column, or every
 *   bad field of the document by its path (`balancers.chat.members.1.url`).
 */
@Injectable()
export class ConfigBodyPipe implements PipeTransform<unknown, ParsedConfigDocument> {
  transform(body: unknown): ParsedConfigDocument {
    const value = typeof body === 'string' ? parseYaml(body) : body;
    if (value === undefined) throw invalid([{ path: '(body)', message: 'expected a configuration document as JSON or YAML (Content-Type: application/yaml)' }]);
    const result = configDocument.safeParse(value);
    if (!result.success) throw invalid(configDocumentErrors(result.error));
    return result.data;
  }
}

/** The value of a YAML text. @throws Problem `validation` naming the line and column of each syntax error. */
function parseYaml(source: string): unknown {
  const document = parseDocument(source, { uniqueKeys: true, prettyErrors: true });
  if (document.errors.length > 0) {
    throw invalid(document.errors.map((error) => ({ path: '(body)', message: `YAML line ${error.linePos?.[0].line}, column ${error.linePos?.[0].col}: ${error.message.split(' at line ')[0]}` })));
  }
  try {
    return document.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    throw invalid([{ path: '(body)', message: `YAML: ${(error as Error).message}` }]);
  }
}

function invalid(errors: FieldError[]): Problem {
  return new Problem('validation', `${errors.length} invalid field${errors.length === 1 ? '' : 's'}: ${errors.map((e) => e.path).join(', ')}`, errors);
}
