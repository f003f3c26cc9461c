import { replayArea } from './replay.js';

replayArea('timeouts');
