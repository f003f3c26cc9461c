import { replayArea } from './replay.js';

replayArea('framework');
