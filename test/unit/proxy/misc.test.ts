import { replayArea } from './replay.js';

replayArea('misc');
