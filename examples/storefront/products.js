// The demo catalogue. Prices are in euros; a real shop would render these on the server.
window.PRODUCTS = [
  { id: 'p-kettle', name: 'Steel Kettle', price: 35, brand: 'Philips', category: 'Kitchen', variant: 'appliances', colour: '#f6c89f', featured: true },
  { id: 'p-watch', name: 'Smart Watch', price: 120, brand: 'Apple', category: 'Watches', variant: 'gadget', colour: '#a8d5e2', featured: true },
  { id: 'p-lamp', name: 'Desk Lamp', price: 24.5, brand: 'Ikea', category: 'Home', variant: 'lighting', colour: '#f9e79f', featured: true },
  { id: 'p-buds', name: 'Wireless Earbuds', price: 59.9, brand: 'Sony', category: 'Audio', variant: 'gadget', colour: '#d7bde2', featured: true },
  { id: 'p-mug', name: 'Blue Mug', price: 12.5, brand: 'Potter', category: 'Kitchen', variant: 'ceramics', colour: '#aed6f1' },
  { id: 'p-pack', name: 'Day Backpack', price: 45, brand: 'Deuter', category: 'Outdoor', variant: 'bags', colour: '#abebc6' },
  { id: 'p-book', name: 'Field Notebook', price: 8.99, brand: 'Leuchtturm', category: 'Stationery', variant: 'paper', colour: '#f5cba7' },
  { id: 'p-fan', name: 'Table Fan', price: 29, brand: 'Dyson', category: 'Home', variant: 'appliances', colour: '#d5dbdb' },
];
