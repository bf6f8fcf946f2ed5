// Validation of an API answer against the schema its operation declares in the OpenAPI 3.1
// document (JSON Schema 2020-12, checked by Ajv).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Ajv comes from the dashboard's locked npm packages (web/package-lock.json).
const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../web/package.json'));
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats');

// Returns validate(operation, status, mediaType, body) → list of problems (empty when valid).
export function validatorFor(doc) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  // Every component schema is reachable as "#/components/schemas/<Name>".
  ajv.addSchema({ $id: 'openapi', components: doc.components ?? {} });
  const compiled = new Map();
  const resolve = (schema) => JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/'));
  return (op, status, mediaType, body) => {
    const responses = op.responses ?? {};
    const response = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
    if (!response) return [`status ${status} is not declared by the operation`];
    if (status === 204 || status === 202 && !response.content) return [];
    const content = response.content ?? {};
    if (!mediaType.includes('json')) {
      // A document or a file: its media type must be declared; its body is not JSON.
      return content[mediaType] ? [] : [`${status} ${mediaType} is not declared (declared: ${Object.keys(content).join(', ')})`];
    }
    const media = content[mediaType] ?? content['application/json'];
    if (!media || !media.schema) return [`no schema declared for ${status} ${mediaType}`];
    if (Object.keys(media.schema).length === 0) return [`the answer's schema is empty ({}): the route returns an untyped result`];
    const key = JSON.stringify(media.schema);
    if (!compiled.has(key)) compiled.set(key, ajv.compile(resolve(media.schema)));
    const v = compiled.get(key);
    if (v(body)) return [];
    return v.errors.slice(0, 5).map((e) => `${e.instancePath || '(root)'} ${e.message}`);
  };
}
