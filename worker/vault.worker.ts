import { expose } from 'comlink'
import { installErrorTransfer } from '../src/comlink-errors.js'
import { Vault } from './vault.js'

installErrorTransfer()
expose(new Vault())
