import { replayArea } from './replay.js';

replayArea('checks');
