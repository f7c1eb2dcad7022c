import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { KNOWN_CURRENCIES } from '#domain/currencies';
import { PAYMENT_FIELDS, PAYMENT_SCHEMA } from '#domain/payment-schema';

const ajv = new Ajv2020({ strict: true });
addFormats(ajv);

describe('PAYMENT_SCHEMA', () => {
  it('is a valid draft 2020-12 schema that strict ajv compiles', () => {
    expect(ajv.validateSchema(PAYMENT_SCHEMA)).toBe(true);
    expect(() => ajv.compile(PAYMENT_SCHEMA)).not.toThrow();
  });

  it('is self-contained, so OpenAPI can embed it as it is', () => {
    expect(JSON.stringify(PAYMENT_SCHEMA)).not.toContain('$ref');
    expect(PAYMENT_SCHEMA).not.toHaveProperty('$defs');
  });

  it('requires every property but the payee and allows no other', () => {
    expect(Object.keys(PAYMENT_SCHEMA.properties).sort()).toEqual([...PAYMENT_FIELDS, 'payee'].sort());
    expect(PAYMENT_SCHEMA.additionalProperties).toBe(false);
  });

  it.each(PAYMENT_FIELDS.map((field) => [field]))(
    'documents %s with a description and examples that it accepts',
    (field) => {
      const property = PAYMENT_SCHEMA.properties[field];
      expect(property.description.length).toBeGreaterThan(10);
      expect(property.examples.length).toBeGreaterThan(0);
      const validate = ajv.compile(property);
      for (const example of property.examples)
        expect({ example, valid: validate(example) }).toEqual({ example, valid: true });
    },
  );

  it('lists the known currencies, so the contract shows them', () => {
    expect(PAYMENT_SCHEMA.properties.currency.enum).toEqual(KNOWN_CURRENCIES);
  });
});
