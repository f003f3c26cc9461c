import { replayArea } from './replay.js';

replayArea('mixed');
