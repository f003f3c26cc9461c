import { replayArea } from './replay.js';

replayArea('core');
