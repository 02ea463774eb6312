import '/assets/session-vault.iife.min.js'
