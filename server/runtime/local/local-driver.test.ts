// The local process driver passes the same contract suite as the Docker driver, fast enough
// for a unit test: the real workspace agent, real processes and a real pseudo-terminal.
import { describeRuntimeContract } from '../runtime-contract';
import { makeLocalTestDriver } from './local-test-support';

describeRuntimeContract('LocalProcessDriver', () => makeLocalTestDriver());
