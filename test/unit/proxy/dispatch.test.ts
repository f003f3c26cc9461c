import { replayArea } from './replay.js';

replayArea('dispatch');
