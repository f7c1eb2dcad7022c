import { buildApp } from './app';

// Entry point of `cdk synth` / `cdk deploy` (cdk.json "app").
buildApp();
