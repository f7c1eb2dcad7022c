import { problemText } from '#web/app/problem-words';

/** An API refusal in one line (web/app/problem-words.ts): its detail, else its title, and each field it names. */
describe('a problem in words', () => {
  test('the detail and every field named', () => {
    const problem = {
      title: 'Invalid dispute',
      detail: 'The dispute is not valid: text',
      errors: [
        { field: 'text', message: 'must have a visible character' },
        { field: 'reason', message: 'is required' },
      ],
    };
    expect(problemText('Not filed', 400, problem)).toBe(
      'Not filed (400): The dispute is not valid: text (text must have a visible character; reason is required)',
    );
  });

  test('the title when there is no detail; said when there is no problem at all', () => {
    expect(problemText('Not changed', 404, { title: 'Not found' })).toBe('Not changed (404): Not found');
    expect(problemText('Not changed', 502, undefined)).toBe('Not changed (502): no answer');
  });
});
