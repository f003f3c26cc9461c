import { replayArea } from './replay.js';

replayArea('options');
