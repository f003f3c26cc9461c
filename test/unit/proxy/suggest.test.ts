import { replayArea } from './replay.js';

replayArea('suggest');
