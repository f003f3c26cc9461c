import { replayArea } from './replay.js';

replayArea('logging');
