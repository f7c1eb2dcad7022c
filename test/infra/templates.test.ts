/**
 * The infra files that read the in-process synthesis (support/synth.ts), gathered into one jest file: jest gives
 * each test file its own module registry, so apart they built both stages once each (~8 s a file, far more under
 * load); together they share one synthesis per stage. Each module keeps its own describe blocks and assertions.
 */
import './templates/api';
import './templates/console-local-only';
import './templates/dispute-check';
import './templates/distributed-map';
import './templates/edge-origin';
import './templates/functions';
import './templates/furnishing';
import './templates/identities';
import './templates/identity';
import './templates/nag';
import './templates/observability';
import './templates/schedule';
import './templates/storage';
import './templates/web-app';
import './templates/workflow';
