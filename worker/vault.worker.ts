import { serve } from '../src/rpc.js'
import type { VaultEvent } from '../src/protocol.js'
import { Vault } from './vault.js'

let emit: (event: VaultEvent) => void = () => {}
const vault = new Vault((event) => emit(event))
emit = serve(self, vault)
