<?php

namespace App\Mail;

use Illuminate\Bus\Queueable;
use Illuminate\Mail\Mailable;
use Illuminate\Mail\Mailables\Attachment;
use Illuminate\Mail\Mailables\Content;
use Illuminate\Mail\Mailables\Envelope;
use Illuminate\Queue\SerializesModels;

/** A Mailable with a Blade view (html and text), an inline image and an attachment. */
class Invoice extends Mailable
{
    use Queueable, SerializesModels;

    public function __construct(public string $name, public string $tag, public string $logoPath, public string $pdfPath)
    {
    }

    public function envelope(): Envelope
    {
        return new Envelope(subject: "Facture pour {$this->name} ({$this->tag})");
    }

    public function content(): Content
    {
        return new Content(view: 'invoice', text: 'invoice_text');
    }

    public function attachments(): array
    {
        return [Attachment::fromPath($this->pdfPath)->as('facture n°42.pdf')->withMime('application/pdf')];
    }
}
