/**
 * The infra files that synthesise in process (support/synth.ts), gathered into one jest file: jest gives each test
 * file its own module registry, so apart they built both stages once each and loaded aws-cdk-lib again (~8 s a file,
 * far more under load); together they share one synthesis per stage. Each module keeps its own describe blocks and
 * assertions. (stages.ts and added-route.ts also build apps of their own, with other context or another route.)
 */
import './templates/added-route';
import './templates/api';
import './templates/console-local-only';
import './templates/dispute-check';
import './templates/distributed-map';
import './templates/edge-origin';
import './templates/functions';
import './templates/furnishing';
import './templates/identities';
import './templates/identity';
import './templates/lambda-bundles';
import './templates/nag';
import './templates/observability';
import './templates/schedule';
import './templates/stages';
import './templates/step-functions-emulator';
import './templates/storage';
import './templates/web-app';
import './templates/workflow';
