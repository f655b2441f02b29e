Bonjour {{ $name }},

votre facture est jointe.
