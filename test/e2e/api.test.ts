/**
 * The e2e files that each started a default local stack for the same purpose (the HTTP API as a client meets it:
 * submissions, reads, bad input, forged tokens), gathered into one jest file so they share one start
 * (support/api-stack.ts), as chromium.test.ts does for the pages: a stack costs seconds of CPU to start, far more
 * under load. Each module keeps its own describe blocks and assertions, signs in users of its own and writes fresh
 * ids; a log check reads what the stack printed since its module began. Stacks with other settings (rate limits,
 * faults, log levels, rotated keys, report runs over every user) stay in files of their own.
 */
import { stopSharedApiStack } from '../support/api-stack';
import './api/submit-payment';
import './api/submit-payment-batch';
import './api/concurrency';
import './api/bad-input-properties';
import './api/token-attacks';
import './api/read-endpoints';
import './api/read-properties';
import './api/commitments';
import './api/commitment-kind';
import './api/disputes';
import './api/payment-reversal';

afterAll(stopSharedApiStack);
