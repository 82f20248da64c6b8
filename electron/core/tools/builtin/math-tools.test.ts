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

  it('refuses sizes that would exhaust memory before allocating, with the limit in the message', () => {
    expect(() => evaluateExpression('zeros(20000, 20000)')).toThrow('zeros would make 400,000,000 elements; the math tool makes at most 1,000,000');
    expect(() => evaluateExpression('ones([5000, 5000])')).toThrow(/ones would make 25,000,000 elements/);
    expect(() => evaluateExpression('identity(5000)')).toThrow(/identity would make 25,000,000 elements/);
    expect(() => evaluateExpression('random([3000, 3000])')).toThrow(/random would make 9,000,000 elements/);
    expect(() => evaluateExpression('1:1e9')).toThrow(/range would make 1,000,000,000 elements/);
    expect(() => evaluateExpression('resize([1, 2], [5000, 5000])')).toThrow(/resize would make 25,000,000 elements/);
    expect(() => evaluateExpression('kron(ones(1000, 1000), ones(10, 10))')).toThrow(/kron would make 100,000,000 elements/);
    // A function that doubles a string, applied 21 times: past the longest string an expression may build.
    const doubling = `f(x) = concat(x, x); ${'f('.repeat(21)}"abcd"${')'.repeat(21)}`;
    expect(() => evaluateExpression(doubling)).toThrow(/concat would make 1,048,576 characters; the math tool makes at most 1,000,000/);
  });

  it('still computes within the limits, and refuses a result too large to send back', () => {
    expect(evaluateExpression('sum(ones(1000, 1000))').value).toBe(1_000_000);
    expect(evaluateExpression('size(1:5)').result).toBe('[5]');
    expect(evaluateExpression('[1:3]').result).toBe('[[1, 2, 3]]');
    expect(evaluateExpression('random(1, 2) >= 1').result).toBe('true');
    expect(() => evaluateExpression('zeros(200, 200)')).toThrow(
      'The result has 40,000 elements; the math tool returns at most 10,000. Ask for a summary of it instead',
    );
  });
});
