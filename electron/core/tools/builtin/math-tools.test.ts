import { describe, expect, it } from 'vitest';
import { convertUnits, evaluateExpression } from './math-tools.js';

describe('math tools', () => {
  it('evaluates arithmetic, functions and units with known answers', () => {
    expect(evaluateExpression('2 + 3 * 4')).toMatchObject({ value: 14 });
    expect(evaluateExpression('sqrt(2)^2').value).toBeCloseTo(2, 12);
    expect(evaluateExpression('det([1, 2; 3, 4])').value).toBeCloseTo(-2, 12);
    expect(evaluateExpression('5 km + 300 m to m')).toMatchObject({ value: 5300, unit: 'm' });
    expect(evaluateExpression('1/0')).toMatchObject({ result: 'Infinity', value: null });
  });

  it('converts units and refuses incompatible ones clearly', () => {
    expect(convertUnits(1, 'mile', 'km').value).toBeCloseTo(1.609344, 9);
    expect(convertUnits(100, 'degC', 'degF').value).toBeCloseTo(212, 9);
    expect(() => convertUnits(1, 'kg', 'm')).toThrow(/Cannot convert 1 kg to m/);
  });

  it('rejects expressions that try to reach outside math', () => {
    expect(() => evaluateExpression('import({x: 1})')).toThrow(/disabled/);
    expect(() => evaluateExpression('evaluate("1+1")')).toThrow(/disabled/);
    expect(() => evaluateExpression('f(x) = x')).toThrow(/does not evaluate to a value/);
    expect(() => evaluateExpression('2 +')).toThrow(/Cannot evaluate "2 \+"/);
  });
});
