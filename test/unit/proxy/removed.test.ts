import { replayArea } from './replay.js';

replayArea('removed');
