const PEOPLE = '(?:a|an|the|our|one of our) (?:human|person|colleague|agent|manager|supervisor|team|department|specialist|representative|operator|staff)';

/**
 * A promise to transfer the call: what an export refuses when no transfer target backs it. Call
 * transfers only: "check the status of a bank transfer" is not a promise to transfer the call.
 */
export const CALL_TRANSFER_PROMISE = new RegExp(
  `\\b(?:transfer(?:red|ring)? (?:you|them|him|her|the (?:caller|customer|call|person)|callers|customers)\\b|transfer(?:red|ring)? (?:you )?to ${PEOPLE}|put (?:you|them|the caller|the customer) through|connect (?:you|them|the caller|the customer) (?:to|with) ${PEOPLE}|hand (?:you|them|the call) (?:over|off) to)`,
  'i',
);

/** Words that may promise a transfer or a person, in the languages Parley writes prompts in. */
const TRANSFER_WORDS =
  /\b(transfer\w*|put (?:them|the caller|you) through|connect (?:them|the caller|you)|hand (?:them|the call) (?:over|off)|escalat\w*|a (?:human|person|colleague|manager|pharmacist|nurse|doctor)|transfier\w*|transfer[ae]\w*|weiterleit\w*|verbind\w*|transf[eé]r\w*|trasferi\w*)\b/i;

/**
 * Whether a clause the user wrote may promise a transfer: wider than CALL_TRANSFER_PROMISE and
 * including it, so that the prompt generator, which drops such clauses when the design cannot
 * transfer, never writes a prompt the export then refuses.
 */
export function mentionsTransfer(text: string): boolean {
  return TRANSFER_WORDS.test(text) || CALL_TRANSFER_PROMISE.test(text);
}
