import type { VaultEvent } from '../src/shared/protocol.js'
import { serve } from '../src/shared/rpc.js'
import { Vault } from './vault.js'

let emit: (event: VaultEvent) => void = () => {}
const vault = new Vault(event => emit(event))
emit = serve(self, vault)
