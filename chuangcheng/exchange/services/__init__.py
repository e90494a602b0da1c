"""Exchange services: endpoints, the outbox and its worker, triggers from case changes, inbound
status updates, the live 12345 interface and the Open311 client."""
