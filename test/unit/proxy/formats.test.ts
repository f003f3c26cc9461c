import { replayArea } from './replay.js';

replayArea('formats');
